// npm run schema:compat [-- <git revision>] — lists the changes of
// schema.graphql against the schema at a git revision (default: the previous
// commit) that would break a client written against it: removed types or
// fields, arguments or input fields made required, changed types. Exits 1 when
// there is any, unless SCHEMA_ALLOW_BREAKING=1 (a release that breaks on
// purpose says so). Uses graphql-js's own findBreakingChanges.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { buildSchema, findBreakingChanges, findDangerousChanges } from 'graphql';

const base = process.argv[2] ?? 'HEAD~1';
let before: string;
try {
  before = execFileSync('git', ['show', `${base}:schema.graphql`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
} catch {
  console.error(`schema:compat: no schema.graphql at ${base} (not a git checkout with that revision); nothing to compare.`);
  process.exit(process.env.CI_REQUIRE_SCHEMA_BASE === '1' ? 1 : 0);
}
const oldSchema = buildSchema(before);
const newSchema = buildSchema(fs.readFileSync('schema.graphql', 'utf8'));

const breaking = findBreakingChanges(oldSchema, newSchema);
const dangerous = findDangerousChanges(oldSchema, newSchema);
for (const change of dangerous) console.log(`dangerous: ${change.type}: ${change.description}`);
for (const change of breaking) console.log(`BREAKING: ${change.type}: ${change.description}`);
console.log(`schema:compat against ${base}: ${breaking.length} breaking, ${dangerous.length} dangerous`);
if (breaking.length > 0 && process.env.SCHEMA_ALLOW_BREAKING !== '1') process.exit(1);
