// B1: the same operations as the gateway, hand-written: an SDL schema built with
// graphql's buildSchema, root resolvers that run B1's SQL and nothing else, and
// graphql-js's default resolvers for every nested field (the SQL returns JSON
// shaped like the answer). Only the fields and inputs the benchmark sends exist.
import crypto from 'node:crypto';
import { buildSchema, GraphQLError, type GraphQLObjectType } from 'graphql';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { decodeGlobalId, encodeGlobalId } from '../../src/schema/global-id.js';
import * as q from './sql.js';
import type { Sql } from './sql.js';

export const BASELINE_SDL = /* GraphQL */ `
  scalar DateTime
  scalar JSON
  enum EmailType { WORK PERSONAL OTHER }
  enum PhoneType { MOBILE WORK HOME FAX OTHER }
  enum ContactSource { MANUAL IMPORT API SYNC }
  enum ContactMatchKey { EXTERNAL_REF EMAIL PHONE }
  type Email { address: String! type: EmailType! primary: Boolean! }
  type Phone { number: String! e164: String! type: PhoneType! primary: Boolean! country: String }
  type Company { id: ID! name: String! domain: String }
  type Employment { company: Company! jobTitle: String primary: Boolean! }
  type ExternalRef { namespace: String! externalId: String! }
  type Address { type: String street1: String street2: String city: String state: String
                 countrySubdivision: String country: String postalCode: String }
  type Contact {
    id: ID! firstName: String lastName: String displayName: String! email: String phone: String
    emails: [Email!]! phones: [Phone!]! connections: [Employment!]! externalRefs: [ExternalRef!]! addresses: [Address!]!
    tags: [String!]! primaryLanguage: String strategy: String linkedInUrl: String blocked: Boolean!
    profilePictureId: Int customFields: JSON source: ContactSource! version: Int!
    createdAt: DateTime! updatedAt: DateTime! deletedAt: DateTime
  }
  type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
  type ContactEdge { cursor: String! node: Contact! }
  type ContactConnection { edges: [ContactEdge!]! pageInfo: PageInfo! }
  type UserError { code: String! field: [String!] message: String! }
  input ExternalRefInput { namespace: String! externalId: String! }
  input UpsertContactInput { externalRef: ExternalRefInput firstName: String lastName: String email: String phone: String }
  input UpdateContactInput { firstName: String lastName: String }
  type UpsertContactPayload { contact: Contact created: Boolean! matchedBy: ContactMatchKey skippedFields: [String!]! userErrors: [UserError!]! }
  type UpsertContactsPayload { results: [UpsertContactPayload!]! userErrors: [UserError!]! }
  type UpdateContactPayload { contact: Contact userErrors: [UserError!]! }
  type Query {
    contact(id: ID!): Contact
    contacts(first: Int, after: String): ContactConnection!
  }
  type Mutation {
    upsertContact(input: UpsertContactInput!): UpsertContactPayload!
    upsertContacts(inputs: [UpsertContactInput!]!): UpsertContactsPayload!
    updateContact(id: ID!, input: UpdateContactInput!, expectedVersion: Int): UpdateContactPayload!
  }
`;


export interface BaselineContext {
  sql: Sql;
  workspaceId: string;
}

type UpsertInput = {
  externalRef?: { namespace: string; externalId: string } | null;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
};
type UserError = { code: string; field: string[]; message: string };

export async function workspaceIdForKey(sql: Sql, authorization: string | null): Promise<string | null> {
  const match = authorization === null ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) return null;
  const hash = crypto.createHash('sha256').update(match[1]!, 'utf8').digest('hex');
  const rows = await sql.query<{ id: string }>('b1_auth', q.WORKSPACE_BY_KEY_HASH, [hash]);
  return rows[0]?.id ?? null;
}

function contactRow(row: { id: string; firstName: string | null; lastName: string | null; version: number }, email: string | null) {
  // Only the fields the write workloads ask for: the statement's RETURNING has them.
  return { id: encodeGlobalId('Contact', row.id), firstName: row.firstName, lastName: row.lastName, version: row.version, email };
}

async function upsertOne(ctx: BaselineContext, input: UpsertInput, field: string[]) {
  const errors: UserError[] = [];
  const email = input.email == null ? null : input.email.trim().toLowerCase();
  if (email !== null && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) errors.push({ code: 'INVALID_EMAIL', field: [...field, 'email'], message: 'Not an email address.' });
  const phone = input.phone == null ? null : parsePhoneNumberFromString(input.phone);
  if (input.phone != null && (phone === undefined || phone === null || !phone.isValid())) {
    errors.push({ code: 'INVALID_PHONE', field: [...field, 'phone'], message: 'Not a phone number.' });
  }
  if (!input.externalRef) errors.push({ code: 'INVALID', field: [...field, 'externalRef'], message: 'B1 upserts by external ref only.' });
  if (errors.length > 0) return { contact: null, created: false, matchedBy: null, skippedFields: [], userErrors: errors };
  const changed = Object.keys(input).filter((key) => key !== 'externalRef');
  const params = [
    ctx.workspaceId,
    input.externalRef!.namespace.trim().toLowerCase(),
    input.externalRef!.externalId,
    changed,
    input.firstName ?? null,
    input.lastName ?? null,
    email,
    crypto.randomUUID(),
    input.phone ?? null,
    phone?.number ?? null,
    phone?.country ?? null,
    crypto.randomUUID(),
  ];
  // Update if a live contact holds the ref; else create; a lost creation race updates the winner.
  for (let attempt = 0; attempt < 3; attempt++) {
    const [updated] = await ctx.sql.query<any>('b1_upsert_update', q.UPSERT_UPDATE_BY_REF, params);
    if (updated) return { contact: contactRow(updated, email), created: false, matchedBy: 'EXTERNAL_REF', skippedFields: [], userErrors: [] };
    const [created] = await ctx.sql.query<any>('b1_upsert_create', q.UPSERT_CREATE_BY_REF, [...params, crypto.randomUUID(), crypto.randomUUID()]);
    if (created) return { contact: contactRow(created, email), created: true, matchedBy: null, skippedFields: [], userErrors: [] };
  }
  throw new Error('upsert: the ref kept changing hands');
}

export const baselineRoot = {
  async contact(args: { id: string }, ctx: BaselineContext) {
    const decoded = decodeGlobalId(args.id);
    if (decoded === null || decoded.typename !== 'Contact') return null;
    const rows = await ctx.sql.query<{ contact: unknown }>('b1_contact', q.CONTACT_BY_ID, [ctx.workspaceId, decoded.id]);
    return rows[0]?.contact ?? null;
  },
  async contacts(args: { first?: number | null; after?: string | null }, ctx: BaselineContext) {
    const first = args.first ?? 20;
    if (first < 0 || first > 100) throw new GraphQLError('first must be between 0 and 100.');
    const after = args.after ? Buffer.from(args.after, 'base64').toString('utf8') : null;
    const rows = await ctx.sql.query<{ edges: { cursor: string }[] }>('b1_contacts', q.CONTACTS_PAGE, [ctx.workspaceId, first + 1, after]);
    const edges = rows[0]!.edges;
    const hasNextPage = edges.length > first;
    if (hasNextPage) edges.pop();
    return {
      edges,
      pageInfo: { hasNextPage, hasPreviousPage: false, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
    };
  },
  upsertContact: (args: { input: UpsertInput }, ctx: BaselineContext) => upsertOne(ctx, args.input, ['input']),
  async upsertContacts(args: { inputs: UpsertInput[] }, ctx: BaselineContext) {
    if (args.inputs.length > 100) {
      return { results: [], userErrors: [{ code: 'LIMIT_EXCEEDED', field: ['inputs'], message: 'At most 100 inputs.' }] };
    }
    // One input after the other with the single-upsert statements: B1 has no bulk statement.
    const results = [];
    for (const [index, input] of args.inputs.entries()) results.push(await upsertOne(ctx, input, ['inputs', String(index)]));
    return { results, userErrors: [] };
  },
  async updateContact(args: { id: string; input: { firstName?: string | null; lastName?: string | null }; expectedVersion?: number | null }, ctx: BaselineContext) {
    const decoded = decodeGlobalId(args.id);
    const notFound = { contact: null, userErrors: [{ code: 'NOT_FOUND', field: ['id'], message: 'No contact has this id.' }] };
    if (decoded === null || decoded.typename !== 'Contact') return notFound;
    const mask = ('firstName' in args.input ? 1 : 0) | ('lastName' in args.input ? 2 : 0);
    const params = [ctx.workspaceId, decoded.id, args.expectedVersion ?? null, Object.keys(args.input), args.input.firstName ?? null, args.input.lastName ?? null, mask];
    const [row] = await ctx.sql.query<any>('b1_update_names', q.UPDATE_NAMES, params);
    if (row) return { contact: { ...row, id: encodeGlobalId('Contact', row.id) }, userErrors: [] };
    const [current] = await ctx.sql.query('b1_contact_version', q.CONTACT_VERSION, [ctx.workspaceId, decoded.id]);
    if (!current) return notFound;
    return { contact: null, userErrors: [{ code: 'VERSION_CONFLICT', field: ['expectedVersion'], message: 'The contact has changed.' }] };
  },
};

/** The SDL's schema with the root resolvers attached: nested fields keep graphql-js's default resolver. */
export const baselineSchema = (() => {
  const schema = buildSchema(BASELINE_SDL);
  const roots = baselineRoot as Record<string, (args: any, ctx: BaselineContext) => unknown>;
  for (const type of [schema.getQueryType(), schema.getMutationType()] as GraphQLObjectType[]) {
    for (const field of Object.values(type.getFields())) {
      const resolve = roots[field.name]!;
      field.resolve = (_root, args, ctx: BaselineContext) => resolve(args, ctx);
    }
  }
  return schema;
})();
