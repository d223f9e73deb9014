-- contact_state (migration contact_write_functions) also returns the contact's
-- whole row, as to_jsonb gives it: a mutation that reads a contact and then
-- changes nothing answers its payload from what it read (src/contacts/
-- written-contact.ts) instead of reading the contact again. Same signature,
-- so lock_contact and lock_and_match, which call it, are unchanged.
CREATE OR REPLACE FUNCTION contact_state(workspace_id UUID, contact_id UUID) RETURNS JSONB
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'row', to_jsonb(c.*),
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
