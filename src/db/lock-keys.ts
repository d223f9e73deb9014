// Every advisory-lock key the gateway takes, in one place. A key is text,
// hashed with hashtext() into the lock's number; two writers that name the
// same key serialize until commit (pg_advisory_xact_lock).
//
// The SQL functions of migrations contact_write_functions (lock_contact,
// lock_and_match: 'contact:' || id) and contact_change_position (the feed
// trigger: 'feed:' || workspaceId) build CONTACT and FEED keys the same way;
// test/db/lock-keys.test.ts reads those functions in the migrated database
// and fails if they and this file disagree.

export const LOCK_PREFIX = { email: 'email:', phone: 'phone:', ref: 'ref:', contact: 'contact:', feed: 'feed:' } as const;

/** Upserts matching one normalised email of a workspace. */
export const emailLockKey = (workspaceId: string, address: string) => `${LOCK_PREFIX.email}${workspaceId}:${address}`;

/** Upserts matching one phone (E.164) of a workspace. */
export const phoneLockKey = (workspaceId: string, e164: string) => `${LOCK_PREFIX.phone}${workspaceId}:${e164}`;

/** Writers of one external reference of a workspace. */
export const refLockKey = (workspaceId: string, ref: { namespace: string; externalId: string }) =>
  `${LOCK_PREFIX.ref}${workspaceId}:${ref.namespace}:${ref.externalId}`;

/** Writers of one contact. */
export const contactLockKey = (contactId: string) => `${LOCK_PREFIX.contact}${contactId}`;

/** The change feed of a workspace: positions are drawn in commit order under it. */
export const feedLockKey = (workspaceId: string) => `${LOCK_PREFIX.feed}${workspaceId}`;
