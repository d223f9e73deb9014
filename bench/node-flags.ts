// How the bench runs its servers: the V8 flags `npm start` gives the gateway
// (package.json), read from there so the two cannot drift, and the project's
// own Node (node_modules/.bin/node, the `node` package, which PostGraphile 5
// needs: Node 22 or newer), whichever Node runs the harness. Every server, B1,
// PostGraphile and B0 included, runs alike, so they compare on equal terms.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const packageJson = path.join(root, 'package.json');
const start: string = JSON.parse(fs.readFileSync(packageJson, 'utf8')).scripts.start;

export const SERVER_NODE_FLAGS = start.split(/\s+/).filter((arg) => arg.startsWith('--') && arg !== '--import');

/** The project's Node when installed, else the one running the harness. */
export const SERVER_NODE = (() => {
  const local = path.join(root, 'node_modules', '.bin', 'node');
  return fs.existsSync(local) ? local : process.execPath;
})();
