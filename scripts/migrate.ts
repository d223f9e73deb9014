// `npm run migrate`: applies the pending migrations to the store DATABASE_URL
// names, and exits. The gateway applies them at start too; this is for a
// deployment whose serving role may not change the schema (docs/operations.md,
// Migrations).
import { loadConfig, type Config } from '../src/config.js';
import { openStore } from '../src/db/store.js';
import { explainStartFailure } from '../src/start-errors.js';

let config: Config | null = null;
try {
  config = loadConfig();
  const store = await openStore(config.store, { poolSize: 1 });
  try {
    const report = await store.migrate();
    console.log(report.applied.length === 0 ? `Nothing to apply: ${report.alreadyApplied} migration(s) already applied.` : `Applied: ${report.applied.join(', ')}`);
    for (const name of report.modified) console.error(`Warning: migration ${name} was changed after it was applied.`);
  } finally {
    await store.close();
  }
} catch (error) {
  console.error(explainStartFailure(error, config).replace(/^Start failed/, 'Migration failed'));
  process.exitCode = 1;
}
