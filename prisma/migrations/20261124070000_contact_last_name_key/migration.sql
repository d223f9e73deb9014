-- Contacts sorted by LAST_NAME compare their last names lowercased: under the
-- C / C.UTF-8 collation (PGlite's, and Debian's default) the names compared
-- byte for byte, so "Zed" came before "adams". "lastNameKey" holds
-- lower("lastName"), kept by a trigger so that every writer (the one-statement
-- writes, Prisma's, a COPY) keeps it, and the keyset index moves to it.
ALTER TABLE "Contact" ADD COLUMN "lastNameKey" TEXT;

UPDATE "Contact" SET "lastNameKey" = lower("lastName") WHERE "lastName" IS NOT NULL;

CREATE FUNCTION contact_last_name_key() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW."lastNameKey" := lower(NEW."lastName");
  RETURN NEW;
END
$$;

CREATE TRIGGER contact_last_name_key BEFORE INSERT OR UPDATE ON "Contact"
  FOR EACH ROW EXECUTE FUNCTION contact_last_name_key();

DROP INDEX "Contact_workspaceId_lastName_id_idx";

CREATE INDEX "Contact_workspaceId_lastNameKey_id_idx" ON "Contact"("workspaceId", "lastNameKey", "id");
