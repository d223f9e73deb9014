-- Change-feed cursors carried the feed's global id, so the numbers a client
-- saw told it how many changes the other workspaces had made (second audit).
-- Each entry now has a position in its own workspace's feed, 1, 2, 3, …, and
-- cursors carry that. The position is drawn by a trigger under the
-- workspace's feed lock (the one contact-rows.ts's feedEntry takes before the
-- row; the trigger takes it too, so a writer that did not, such as the bench's
-- baseline or a script, is just as safe): the lock is held until commit, and a
-- PL/pgSQL statement reads with a fresh snapshot, so the trigger sees the
-- previous holder's entry and positions follow commit order.
ALTER TABLE "ContactChange" ADD COLUMN "position" BIGINT NOT NULL DEFAULT 0;

UPDATE "ContactChange" c SET "position" = ranked.n
FROM (SELECT id, row_number() OVER (PARTITION BY "workspaceId" ORDER BY id) AS n FROM "ContactChange") ranked
WHERE c.id = ranked.id;

CREATE FUNCTION contact_change_position() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('feed:' || NEW."workspaceId"));
  NEW."position" := coalesce((SELECT max(c."position") FROM "ContactChange" c WHERE c."workspaceId" = NEW."workspaceId"), 0) + 1;
  RETURN NEW;
END
$$;

CREATE TRIGGER contact_change_position BEFORE INSERT ON "ContactChange"
  FOR EACH ROW EXECUTE FUNCTION contact_change_position();

CREATE UNIQUE INDEX "ContactChange_workspaceId_position_key" ON "ContactChange"("workspaceId", "position");
