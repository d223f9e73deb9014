-- The seed fields of contacts (API.md, Seed fields), the remote timestamps of
-- external refs, and one company per name and workspace, so that a contact
-- write can name its company and two concurrent writes naming one new company
-- create it once (INSERT ... ON CONFLICT DO NOTHING on the unique key below).
--
-- "nameKey" is lower(btrim(name)), kept by a trigger so that every writer
-- keeps it. A database may already hold companies of one workspace that share
-- a name: the oldest of each group gets the key and is the one found by name;
-- the later ones keep NULL (NULLs are distinct, so the unique index allows
-- them), keep their name and ids, and get a key only when renamed. Nothing is
-- deleted or merged.
-- AlterTable
ALTER TABLE "Company" ADD COLUMN     "nameKey" TEXT;

-- AlterTable
ALTER TABLE "Contact" ADD COLUMN     "assignedTo" TEXT,
ADD COLUMN     "dateOfBirth" DATE,
ADD COLUMN     "doNotDisturb" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "gender" TEXT,
ADD COLUMN     "lastActivityAt" TIMESTAMP(3),
ADD COLUMN     "timeZone" TEXT,
ADD COLUMN     "website" TEXT;

-- AlterTable
ALTER TABLE "ExternalRef" ADD COLUMN     "remoteCreatedAt" TIMESTAMP(3),
ADD COLUMN     "remoteDeleted" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "remoteUpdatedAt" TIMESTAMP(3);

UPDATE "Company" c SET "nameKey" = lower(btrim(c.name))
WHERE NOT EXISTS (
  SELECT 1 FROM "Company" o
  WHERE o."workspaceId" = c."workspaceId" AND lower(btrim(o.name)) = lower(btrim(c.name))
    AND (o."createdAt", o.id) < (c."createdAt", c.id));

-- On insert, and when the name changes; an unchanged name keeps its key (NULL
-- for a later duplicate).
CREATE FUNCTION company_name_key() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.name IS DISTINCT FROM OLD.name THEN
    NEW."nameKey" := lower(btrim(NEW.name));
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER company_name_key BEFORE INSERT OR UPDATE ON "Company"
  FOR EACH ROW EXECUTE FUNCTION company_name_key();

-- CreateIndex
CREATE UNIQUE INDEX "Company_workspaceId_nameKey_key" ON "Company"("workspaceId", "nameKey");

-- CreateIndex
CREATE INDEX "Contact_workspaceId_assignedTo_idx" ON "Contact"("workspaceId", "assignedTo");

-- CreateIndex
CREATE INDEX "Contact_doNotDisturb_idx" ON "Contact" USING GIN ("doNotDisturb");

-- contact_state carries the seed fields and the refs' remote timestamps, so
-- that the write rules compare them (unchanged writes, changedFields). Same
-- signature: lock_contact and lock_and_match, which call it, are unchanged.
CREATE OR REPLACE FUNCTION contact_state(workspace_id UUID, contact_id UUID) RETURNS JSONB
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'row', to_jsonb(c.*),
    'version', c.version, 'deletedAt', c."deletedAt", 'mergedIntoId', c."mergedIntoId",
    'firstName', c."firstName", 'lastName', c."lastName", 'primaryLanguage', c."primaryLanguage",
    'strategy', c.strategy, 'linkedInUrl', c."linkedInUrl", 'blocked', c.blocked,
    'profilePictureId', c."profilePictureId", 'customFields', c."customFields", 'source', c.source, 'tags', c.tags,
    'gender', c.gender, 'website', c.website, 'timeZone', c."timeZone", 'dateOfBirth', c."dateOfBirth",
    'doNotDisturb', c."doNotDisturb", 'assignedTo', c."assignedTo", 'lastActivityAt', c."lastActivityAt",
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
    'externalRefs', coalesce((SELECT jsonb_agg(jsonb_build_object('namespace', x.namespace, 'externalId', x."externalId", 'live', x.live,
                                                'remoteCreatedAt', x."remoteCreatedAt", 'remoteUpdatedAt', x."remoteUpdatedAt",
                                                'remoteDeleted', x."remoteDeleted")
                                       ORDER BY x.namespace, x."externalId")
                              FROM "ExternalRef" x WHERE x."contactId" = c.id), '[]'))
  FROM "Contact" c
  WHERE c.id = contact_id AND c."workspaceId" = workspace_id
$$;
