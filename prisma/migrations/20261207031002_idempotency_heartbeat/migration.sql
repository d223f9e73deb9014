-- A pending key's heartbeat: the process running its request refreshes it, and
-- a retry takes over a pending key whose heartbeat has stopped (its process died).
-- AlterTable
ALTER TABLE "IdempotentRequest" ADD COLUMN     "heartbeatAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
