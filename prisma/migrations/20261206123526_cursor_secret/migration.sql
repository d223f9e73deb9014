-- The key that signs cursors when CURSOR_SECRET is not set: one row, written
-- by the first gateway that needs it (src/db/cursor-secret.ts), so cursors stay
-- valid across restarts and across every gateway on this database.
-- CreateTable
CREATE TABLE "CursorSecret" (
    "id" INTEGER NOT NULL,
    "secret" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CursorSecret_pkey" PRIMARY KEY ("id")
);
