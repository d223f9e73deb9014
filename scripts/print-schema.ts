// npm run schema:print — rewrites schema.graphql from the code-first schema.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printedSchema } from '../src/schema/print.js';

const target = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../schema.graphql');
fs.writeFileSync(target, printedSchema());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
