// The V8 flags `npm start` gives the gateway (package.json), read from there
// so the two cannot drift. The bench starts every server with them, B1 and B0
// included, so the servers compare on equal terms.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageJson = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'package.json');
const start: string = JSON.parse(fs.readFileSync(packageJson, 'utf8')).scripts.start;

export const SERVER_NODE_FLAGS = start.split(/\s+/).filter((arg) => arg.startsWith('--') && arg !== '--import');
