// The benchmark's workloads, written against API.md's shapes. Every varying
// value travels in `variables`: the query text of a workload never changes, so
// yoga's parse/validate cache works as it would for a real client.
import { encodeGlobalId } from '../src/schema/global-id.js';
import { generateSeed, seedPhone } from './seed.js';

const CONTACT_FIELDS = `id firstName lastName displayName email phone
  emails { address type primary } phones { number e164 type primary country }
  connections { company { id name domain } jobTitle primary } externalRefs { namespace externalId }
  addresses { type street1 street2 city state countrySubdivision country postalCode }
  tags primaryLanguage strategy linkedInUrl blocked profilePictureId customFields source version createdAt updatedAt deletedAt`;

const UPSERT_PAYLOAD = 'created matchedBy skippedFields contact { id firstName lastName email version } userErrors { code field message }';

const HOT_KEYS = 100;
const HOT_KEY_RACERS = 16;

// The same selection in PostGraphile's naming (bench/postgraphile): every
// column the gateway reads for CONTACT_FIELDS, the lists in the gateway's
// order. displayName, email, phone and primary are derived from these columns
// in the gateway; PostGraphile returns the columns (position for primary).
const PGL_CONTACT_FIELDS = `id firstName lastName
  emailsByContactId(orderBy: POSITION_ASC) { nodes { address type position } }
  phonesByContactId(orderBy: POSITION_ASC) { nodes { number e164 type position country } }
  employmentsByContactId(orderBy: [PRIMARY_DESC, POSITION_ASC]) { nodes { companyByCompanyId { id name domain } jobTitle primary } }
  externalRefsByContactId(orderBy: [NAMESPACE_ASC, EXTERNAL_ID_ASC]) { nodes { namespace externalId } }
  addressesByContactId(orderBy: POSITION_ASC) { nodes { type street1 street2 city state countrySubdivision country postalCode } }
  tags primaryLanguage strategy linkedInUrl blocked profilePictureId customFields source version createdAt updatedAt deletedAt`;

export type ServerName = 'gateway' | 'baseline' | 'postgraphile';

/** What a round knows when it makes its request bodies. */
export interface RoundContext {
  server: ServerName;
  /** Unique per run, server and round: new keys of one round never meet another's. */
  tag: string;
  seed: SeedKeys;
}

export interface Workload {
  id: string;
  title: string;
  /** Root fields the gateway's schema must have, else the workload is skipped. */
  needs: { query?: string[]; mutation?: string[] };
  /** A fixed number of connections, whatever the run's list (the contention case). */
  connections?: number;
  writes: boolean;
  query: string;
  /** Returns a function that makes the variables of the n-th request of a round. */
  variables(round: RoundContext): (n: number) => Record<string, unknown>;
  /** For writes: how many contacts a round of `requests` successful requests must create, or null if it cannot be known. */
  expectedCreated?(requests: number): number;
  /** The same read for PostGraphile, in its naming; a workload without one does not run against PostGraphile. */
  postgraphile?: { query: string; variables(round: RoundContext): (n: number) => Record<string, unknown> };
}

export interface SeedKeys {
  workspaceId: string;
  /** Global ids, as the gateway and B1 take them. */
  contactIds: string[];
  /** The same contacts' uuids, as PostGraphile's rowId. */
  contactUuids: string[];
  primaryEmails: string[];
  primaryPhones: string[];
}

export function seedKeys(contactCount: number): SeedKeys {
  const data = generateSeed(contactCount);
  const primaryEmails: string[] = [];
  for (const email of data.emails) if (email.position === 0) primaryEmails.push(email.address);
  const primaryPhones: string[] = [];
  for (const phone of data.phones) if (phone.position === 0) primaryPhones.push(phone.number);
  return {
    workspaceId: data.workspace.id!,
    contactIds: data.contacts.map((c) => encodeGlobalId('Contact', c.id!)),
    contactUuids: data.contacts.map((c) => c.id!),
    primaryEmails,
    primaryPhones,
  };
}

const newInput = (namespace: string, key: string, n: number) => ({
  externalRef: { namespace, externalId: key },
  firstName: 'Bench',
  lastName: `New ${n}`,
  email: `${key}@${namespace}.example.com`,
  phone: seedPhone(200_000 + (n % 100_000)).number,
});

export const WORKLOADS: Workload[] = [
  {
    id: 'W0',
    title: '{ __typename } with an API key: each server\'s own per-request cost, no data',
    needs: {},
    writes: false,
    query: 'query W0 { __typename }',
    variables: () => () => ({}),
  },
  {
    id: 'W1',
    title: 'contacts(first: 50), every nested field',
    needs: { query: ['contacts'] },
    writes: false,
    query: `query W1($first: Int!) { contacts(first: $first) { edges { cursor node { ${CONTACT_FIELDS} } } pageInfo { hasNextPage endCursor } } }`,
    variables: () => () => ({ first: 50 }),
    postgraphile: {
      query:
        'query W1($first: Int!, $workspaceId: UUID!) { allContacts(first: $first, condition: { workspaceId: $workspaceId, deletedAt: null }, ' +
        `orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) { edges { cursor node { ${PGL_CONTACT_FIELDS} } } pageInfo { hasNextPage endCursor } } }`,
      variables: ({ seed }) => () => ({ first: 50, workspaceId: seed.workspaceId }),
    },
  },
  {
    id: 'W2',
    title: 'contact(id:), every nested field',
    needs: { query: ['contact'] },
    writes: false,
    query: `query W2($id: ID!) { contact(id: $id) { ${CONTACT_FIELDS} } }`,
    variables: ({ seed }) => (n) => ({ id: seed.contactIds[(n * 7919) % seed.contactIds.length] }),
    // Scoped as the gateway scopes it (the workspace, not deleted), so by condition rather than contactByRowId.
    postgraphile: {
      query:
        'query W2($id: UUID!, $workspaceId: UUID!) { allContacts(first: 1, condition: { rowId: $id, workspaceId: $workspaceId, deletedAt: null }) ' +
        `{ nodes { ${PGL_CONTACT_FIELDS} } } }`,
      variables: ({ seed }) => (n) => ({ id: seed.contactUuids[(n * 7919) % seed.contactUuids.length], workspaceId: seed.workspaceId }),
    },
  },
  {
    id: 'W3a',
    title: 'upsertContact, new external-ref keys',
    needs: { mutation: ['upsertContact'] },
    writes: true,
    query: `mutation W3($input: UpsertContactInput!) { upsertContact(input: $input) { ${UPSERT_PAYLOAD} } }`,
    variables: ({ tag }) => (n) => ({ input: newInput(`bench-${tag}`, `n${n}`, n) }),
    expectedCreated: (requests) => requests,
  },
  {
    id: 'W3b',
    title: 'upsertContact, existing keys (seeded refs; names change, primary email/phone resent)',
    needs: { mutation: ['upsertContact'] },
    writes: true,
    query: `mutation W3($input: UpsertContactInput!) { upsertContact(input: $input) { ${UPSERT_PAYLOAD} } }`,
    variables: ({ seed, tag }) => (n) => {
      const i = (n * 7919) % seed.contactIds.length;
      return {
        input: {
          externalRef: { namespace: 'salesforce', externalId: `SA-${i}` },
          firstName: 'Bench',
          lastName: `Seen ${tag} ${n}`,
          email: seed.primaryEmails[i],
          phone: seed.primaryPhones[i],
        },
      };
    },
    expectedCreated: () => 0,
  },
  {
    id: 'W3c',
    title: 'upsertContact, 16 connections contending on 100 shared new keys',
    needs: { mutation: ['upsertContact'] },
    connections: HOT_KEY_RACERS,
    writes: true,
    query: `mutation W3($input: UpsertContactInput!) { upsertContact(input: $input) { ${UPSERT_PAYLOAD} } }`,
    variables: ({ tag }) => (n) => {
      // Sixteen requests in a row share a key, so the sixteen connections race
      // on it: the first creates the contact, the others match it and write
      // their own last name (every request changes something, for both servers).
      const k = Math.floor(n / HOT_KEY_RACERS) % HOT_KEYS;
      return { input: { ...newInput(`bench-hot-${tag}`, `hot${k}`, k), lastName: `Hot ${n}` } };
    },
    expectedCreated: (requests) => Math.min(Math.ceil(requests / HOT_KEY_RACERS), HOT_KEYS),
  },
  {
    id: 'W4',
    title: 'updateContact, two scalar fields',
    needs: { mutation: ['updateContact'] },
    writes: true,
    query: `mutation W4($id: ID!, $input: UpdateContactInput!) { updateContact(id: $id, input: $input) { contact { id firstName lastName version updatedAt } userErrors { code field message } } }`,
    // The round's tag in the name: a later round (or run) sending the same
    // values would change nothing, and the gateway writes nothing then.
    variables: ({ seed, tag }) => (n) => ({
      id: seed.contactIds[(n * 7919) % seed.contactIds.length],
      input: { firstName: 'Bench', lastName: `Updated ${tag} ${n}` },
    }),
    expectedCreated: () => 0,
  },
  {
    id: 'W5',
    title: 'upsertContacts, 100 new keys per call',
    needs: { mutation: ['upsertContacts'] },
    writes: true,
    query: `mutation W5($inputs: [UpsertContactInput!]!) { upsertContacts(inputs: $inputs) { results { created contact { id } userErrors { code field message } } userErrors { code field message } } }`,
    variables: ({ tag }) => (n) => ({
      inputs: Array.from({ length: 100 }, (_, k) => newInput(`bench-bulk-${tag}`, `b${n}-${k}`, n * 100 + k)),
    }),
    expectedCreated: (requests) => requests * 100,
  },
];
