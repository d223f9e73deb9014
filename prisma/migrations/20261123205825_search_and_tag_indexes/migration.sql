-- CreateExtension (added by hand: Prisma does not emit it without the
-- postgresqlExtensions preview feature; pg_trgm is a trusted extension, so a
-- database owner may create it, and PGlite bundles it: src/db/extensions.ts)
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateIndex
CREATE INDEX "Contact_tags_idx" ON "Contact" USING GIN ("tags");

-- CreateIndex
CREATE INDEX "Email_address_idx" ON "Email" USING GIN ("address" gin_trgm_ops);
