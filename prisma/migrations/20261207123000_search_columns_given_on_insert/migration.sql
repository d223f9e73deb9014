-- A contact created with its emails and phones in one statement used to be
-- written three times: its row, then once more by each statement trigger of
-- Email and Phone, each time with a new entry in every index of "Contact".
-- Now the writer may give the final "searchText" and "phoneKeys" on insert
-- (src/contacts/contact-rows.ts computes them from the lists it inserts), and
-- the triggers rewrite a contact only when its stored value differs from the
-- one its rows give. Every writer still ends with the right values: a
-- statement that writes emails or phones has every contact it touched
-- checked, and an insert that gives no search text gets the names', as before.

-- The same values as before, computed in PL/pgSQL, which keeps its plans for
-- the connection: as SQL functions (not inlined, because of the sub-queries)
-- each call was planned again, about 40 microseconds, once per contact for
-- every statement that wrote emails or phones.
CREATE OR REPLACE FUNCTION contact_search_text(first_name TEXT, last_name TEXT, contact_id UUID) RETURNS TEXT
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN concat_ws(chr(1), first_name, last_name,
                   (SELECT string_agg(e.address, chr(1) ORDER BY e.position) FROM "Email" e WHERE e."contactId" = contact_id));
END
$$;

CREATE OR REPLACE FUNCTION contact_phone_keys(contact_id UUID) RETURNS TEXT
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN chr(1) || (SELECT string_agg(p.e164, chr(1) ORDER BY p.position) FROM "Phone" p WHERE p."contactId" = contact_id) || chr(1);
END
$$;

-- A contact's names: computed on update of a name, and on insert unless the
-- writer gave the search text.
CREATE OR REPLACE FUNCTION contact_search_names() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW."searchText" IS NOT NULL THEN
    RETURN NEW;
  END IF;
  NEW."searchText" := contact_search_text(NEW."firstName", NEW."lastName", NEW.id);
  RETURN NEW;
END
$$;

-- Each contact the statement touched is looked up by its id, one statement
-- per contact: a join with the transition table was planned once, while the
-- table was small, as a scan of every contact, and the connection kept that
-- plan as the table grew (181 million rows read for 100,000 contacts
-- imported). A lookup by primary key has one plan at any size. Only a contact
-- whose stored value differs from the one its rows give is written.
CREATE OR REPLACE FUNCTION contact_search_emails() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  touched UUID;
BEGIN
  FOR touched IN SELECT DISTINCT "contactId" FROM changed_rows LOOP
    UPDATE "Contact" c SET "searchText" = contact_search_text(c."firstName", c."lastName", c.id)
    WHERE c.id = touched AND c."searchText" IS DISTINCT FROM contact_search_text(c."firstName", c."lastName", c.id);
  END LOOP;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION contact_search_phones() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  touched UUID;
BEGIN
  FOR touched IN SELECT DISTINCT "contactId" FROM changed_rows LOOP
    UPDATE "Contact" c SET "phoneKeys" = contact_phone_keys(c.id)
    WHERE c.id = touched AND c."phoneKeys" IS DISTINCT FROM contact_phone_keys(c.id);
  END LOOP;
  RETURN NULL;
END
$$;
