-- search (docs/API.md, Queries: ContactFilter.search) reads one indexed column
-- per kind of value instead of OR-ing the contact's names with sub-queries on
-- Email and Phone, which PostgreSQL cannot combine into one index scan and so
-- answered with a pass over the workspace's contacts.
--
-- "searchText": first name, last name and every email address, joined by
-- U+0001, which no search text contains, so a match never spans two values.
-- "phoneKeys": every phone's E.164, each between U+0001 marks, so an exact
-- number and a number's ending are both one LIKE.
-- Both are kept by triggers, so every writer keeps them: the one-statement
-- writes, Prisma's, merge, a COPY.

-- The trigram index on Email.address served only search.
DROP INDEX "Email_address_idx";

ALTER TABLE "Contact" ADD COLUMN "phoneKeys" TEXT,
ADD COLUMN "searchText" TEXT;

CREATE FUNCTION contact_search_text(first_name TEXT, last_name TEXT, contact_id UUID) RETURNS TEXT
LANGUAGE sql STABLE AS $$
  SELECT concat_ws(chr(1), first_name, last_name,
                   (SELECT string_agg(e.address, chr(1) ORDER BY e.position) FROM "Email" e WHERE e."contactId" = contact_id))
$$;

CREATE FUNCTION contact_phone_keys(contact_id UUID) RETURNS TEXT
LANGUAGE sql STABLE AS $$
  SELECT chr(1) || string_agg(p.e164, chr(1) ORDER BY p.position) || chr(1) FROM "Phone" p WHERE p."contactId" = contact_id
$$;

-- A contact's names: on its own row, before it is written.
CREATE FUNCTION contact_search_names() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW."searchText" := contact_search_text(NEW."firstName", NEW."lastName", NEW.id);
  RETURN NEW;
END
$$;

CREATE TRIGGER contact_search_names BEFORE INSERT OR UPDATE OF "firstName", "lastName" ON "Contact"
  FOR EACH ROW EXECUTE FUNCTION contact_search_names();

-- Emails and phones: once per statement, for every contact the statement
-- touched (a bulk write or a merge refreshes each contact once).
CREATE FUNCTION contact_search_emails() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Contact" c SET "searchText" = contact_search_text(c."firstName", c."lastName", c.id)
  WHERE c.id IN (SELECT "contactId" FROM changed_rows);
  RETURN NULL;
END
$$;

CREATE FUNCTION contact_search_phones() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Contact" c SET "phoneKeys" = contact_phone_keys(c.id)
  WHERE c.id IN (SELECT "contactId" FROM changed_rows);
  RETURN NULL;
END
$$;

CREATE TRIGGER email_search_insert AFTER INSERT ON "Email"
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION contact_search_emails();
CREATE TRIGGER email_search_delete AFTER DELETE ON "Email"
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION contact_search_emails();
CREATE TRIGGER email_search_update_new AFTER UPDATE ON "Email"
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION contact_search_emails();
CREATE TRIGGER email_search_update_old AFTER UPDATE ON "Email"
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION contact_search_emails();

CREATE TRIGGER phone_search_insert AFTER INSERT ON "Phone"
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION contact_search_phones();
CREATE TRIGGER phone_search_delete AFTER DELETE ON "Phone"
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION contact_search_phones();
CREATE TRIGGER phone_search_update_new AFTER UPDATE ON "Phone"
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION contact_search_phones();
CREATE TRIGGER phone_search_update_old AFTER UPDATE ON "Phone"
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION contact_search_phones();

-- Existing contacts, before the indexes are built.
UPDATE "Contact" c SET "searchText" = contact_search_text(c."firstName", c."lastName", c.id), "phoneKeys" = contact_phone_keys(c.id);

CREATE INDEX "Contact_searchText_idx" ON "Contact" USING GIN ("searchText" gin_trgm_ops);

CREATE INDEX "Contact_phoneKeys_idx" ON "Contact" USING GIN ("phoneKeys" gin_trgm_ops);
