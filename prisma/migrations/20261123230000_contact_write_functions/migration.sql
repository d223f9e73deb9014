-- Functions that let a contact write lock and read in one round trip
-- (src/contacts/contact-store.ts). Written by hand: Prisma's schema does not
-- describe functions, so the drift check neither sees nor needs them.
--
-- Why functions: in READ COMMITTED a plain statement takes its snapshot before
-- an advisory lock inside it is granted, so "lock and read in one SELECT" would
-- read rows as they were before the lock holder committed. A VOLATILE PL/pgSQL
-- function takes a new snapshot for each statement it runs, so its reads after
-- PERFORM pg_advisory_xact_lock see every commit made under that lock.
--
-- Lock order (deadlock freedom): key locks sorted, then the contact's lock,
-- as every other writer takes them. Lock keys are the strings of
-- src/contacts/matching.ts and contact-store.ts (contactLockKey).

-- A contact's stored state as JSON: its row and its lists, in stored order.
CREATE FUNCTION contact_state(workspace_id UUID, contact_id UUID) RETURNS JSONB
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'version', c.version, 'deletedAt', c."deletedAt", 'mergedIntoId', c."mergedIntoId",
    'firstName', c."firstName", 'lastName', c."lastName", 'primaryLanguage', c."primaryLanguage",
    'strategy', c.strategy, 'linkedInUrl', c."linkedInUrl", 'blocked', c.blocked,
    'profilePictureId', c."profilePictureId", 'customFields', c."customFields", 'source', c.source, 'tags', c.tags,
    'emails', coalesce((SELECT jsonb_agg(jsonb_build_object('address', x.address, 'type', x.type) ORDER BY x.position)
                        FROM "Email" x WHERE x."contactId" = c.id), '[]'),
    'phones', coalesce((SELECT jsonb_agg(jsonb_build_object('number', x.number, 'e164', x.e164, 'type', x.type, 'country', x.country) ORDER BY x.position)
                        FROM "Phone" x WHERE x."contactId" = c.id), '[]'),
    'connections', coalesce((SELECT jsonb_agg(jsonb_build_object('companyId', x."companyId", 'jobTitle', x."jobTitle", 'primary', x."primary") ORDER BY x.position)
                             FROM "Employment" x WHERE x."contactId" = c.id), '[]'),
    'addresses', coalesce((SELECT jsonb_agg(jsonb_build_object('type', x.type, 'street1', x.street1, 'street2', x.street2, 'city', x.city,
                                      'state', x.state, 'countrySubdivision', x."countrySubdivision", 'country', x.country, 'postalCode', x."postalCode")
                                    ORDER BY x.position)
                           FROM "Address" x WHERE x."contactId" = c.id), '[]'),
    'externalRefs', coalesce((SELECT jsonb_agg(jsonb_build_object('namespace', x.namespace, 'externalId', x."externalId", 'live', x.live)
                                       ORDER BY x.namespace, x."externalId")
                              FROM "ExternalRef" x WHERE x."contactId" = c.id), '[]'))
  FROM "Contact" c
  WHERE c.id = contact_id AND c."workspaceId" = workspace_id
$$;

-- Takes the key locks (sorted), then the contact's lock, then reads the
-- contact: null when the workspace has no such contact.
CREATE FUNCTION lock_contact(workspace_id UUID, contact_id UUID, key_locks TEXT[]) RETURNS JSONB
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(k)) FROM (SELECT k FROM unnest(key_locks) AS k ORDER BY k) AS sorted;
  PERFORM pg_advisory_xact_lock(hashtext('contact:' || contact_id::text));
  RETURN contact_state(workspace_id, contact_id);
END
$$;

-- upsertContact's match (src/contacts/matching.ts): takes the key locks
-- (sorted), then, for each key of `sequence` in order, finds the live contact
-- holding the value (the oldest for EMAIL and PHONE). The first match's
-- contact is locked and read, as lock_contact does; the others come without
-- their state. One row per key that matched, in sequence order.
CREATE FUNCTION lock_and_match(
  workspace_id UUID, key_locks TEXT[], sequence TEXT[],
  ref_namespace TEXT, ref_external_id TEXT, email TEXT, e164 TEXT
) RETURNS TABLE ("key" TEXT, "contactId" UUID, "contact" JSONB)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  match_key TEXT;
  holder UUID;
  first_found BOOLEAN := false;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(k)) FROM (SELECT k FROM unnest(key_locks) AS k ORDER BY k) AS sorted;
  FOREACH match_key IN ARRAY sequence LOOP
    holder := NULL;
    IF match_key = 'EXTERNAL_REF' AND ref_namespace IS NOT NULL THEN
      SELECT r."contactId" INTO holder FROM "ExternalRef" r
      WHERE r."workspaceId" = workspace_id AND r.namespace = ref_namespace AND r."externalId" = ref_external_id AND r.live = true
      LIMIT 1;
    ELSIF match_key = 'EMAIL' AND email IS NOT NULL THEN
      SELECT c.id INTO holder FROM "Contact" c
      WHERE c."workspaceId" = workspace_id AND c."deletedAt" IS NULL
        AND EXISTS (SELECT 1 FROM "Email" x WHERE x."contactId" = c.id AND x."workspaceId" = workspace_id AND x.address = email)
      ORDER BY c."createdAt", c.id
      LIMIT 1;
    ELSIF match_key = 'PHONE' AND e164 IS NOT NULL THEN
      SELECT c.id INTO holder FROM "Contact" c
      WHERE c."workspaceId" = workspace_id AND c."deletedAt" IS NULL
        AND EXISTS (SELECT 1 FROM "Phone" x WHERE x."contactId" = c.id AND x."workspaceId" = workspace_id AND x.e164 = lock_and_match.e164)
      ORDER BY c."createdAt", c.id
      LIMIT 1;
    END IF;
    IF holder IS NOT NULL THEN
      "key" := match_key;
      "contactId" := holder;
      "contact" := NULL;
      IF NOT first_found THEN
        first_found := true;
        PERFORM pg_advisory_xact_lock(hashtext('contact:' || holder::text));
        "contact" := contact_state(workspace_id, holder);
      END IF;
      RETURN NEXT;
    END IF;
  END LOOP;
END
$$;
