import { defineConfig } from 'prisma/config';

// Only `prisma generate` uses the CLI here: migrations are applied by the
// gateway itself (src/db/migrate.ts) and written by scripts/new-migration.ts,
// because the CLI's native schema engine cannot be downloaded on this network.
export default defineConfig({
  schema: 'prisma/schema.prisma',
});
