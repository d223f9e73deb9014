// The Contact type and its parts: Email, Phone, Employment, ExternalRef, Address.
import { builder } from './builder.js';
import { ContactSourceEnum, EmailTypeEnum, PhoneTypeEnum } from './enums.js';
import { displayName } from '../contacts/display-name.js';
import { requireWorkspace } from '../auth/viewer.js';
import type { Prisma } from '../generated/prisma/client.js';

// One ordering per list, shared by the list fields and by the fields derived
// from them (email, phone, displayName), so the prisma plugin merges them into
// a single relation load.
const EMAILS = { orderBy: { position: 'asc' } } satisfies Prisma.Contact$emailsArgs;
const PHONES = { orderBy: { position: 'asc' } } satisfies Prisma.Contact$phonesArgs;
const CONNECTIONS = { orderBy: [{ primary: 'desc' }, { position: 'asc' }] } satisfies Prisma.Contact$employmentsArgs;
const EXTERNAL_REFS = { orderBy: [{ namespace: 'asc' }, { externalId: 'asc' }] } satisfies Prisma.Contact$externalRefsArgs;
const ADDRESSES = { orderBy: { position: 'asc' } } satisfies Prisma.Contact$addressesArgs;

/**
 * The lists a mutation's stored contact holds (written-contact.ts), with the
 * query each is read with. Emails, phones and addresses are in stored
 * position; external refs are ordered by the database's collation, so a
 * stored contact answers for them only when it has at most one.
 */
export const WRITTEN_LISTS = { emails: EMAILS, phones: PHONES, addresses: ADDRESSES, externalRefs: EXTERNAL_REFS } as const;

export const ContactRef = builder.prismaNode('Contact', {
  description: 'A person, with the ways to reach them and their place in companies and other systems.',
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id, workspaceId: requireWorkspace(ctx).id }),
  fields: (t) => ({
    firstName: t.exposeString('firstName', { nullable: true, description: 'Given name.' }),
    lastName: t.exposeString('lastName', { nullable: true, description: 'Family name.' }),
    displayName: t.string({
      description:
        'First and last name joined by a space, else the primary email, else the primary phone (E.164), else "Unnamed contact".',
      select: { firstName: true, lastName: true, emails: EMAILS, phones: PHONES },
      resolve: (c) =>
        displayName({
          firstName: c.firstName,
          lastName: c.lastName,
          primaryEmail: c.emails[0]?.address ?? null,
          primaryPhoneE164: c.phones[0]?.e164 ?? null,
        }),
    }),
    email: t.string({
      nullable: true,
      description: 'The primary email address, lowercase.',
      select: { emails: EMAILS },
      resolve: (c) => c.emails[0]?.address ?? null,
    }),
    phone: t.string({
      nullable: true,
      description: 'The primary phone number, E.164.',
      select: { phones: PHONES },
      resolve: (c) => c.phones[0]?.e164 ?? null,
    }),
    emails: t.relation('emails', { query: EMAILS, description: 'Email addresses, primary first, then in the order given.' }),
    phones: t.relation('phones', { query: PHONES, description: 'Phone numbers, primary first, then in the order given.' }),
    connections: t.relation('employments', { query: CONNECTIONS, description: 'Companies the contact works for, primary first.' }),
    externalRefs: t.relation('externalRefs', {
      query: EXTERNAL_REFS,
      description: 'Records of this contact in other systems (Salesforce, HubSpot, …).',
    }),
    addresses: t.relation('addresses', { query: ADDRESSES, description: 'Postal addresses, in the order given.' }),
    tags: t.exposeStringList('tags', { description: 'Tags, sorted and unique.' }),
    primaryLanguage: t.exposeString('primaryLanguage', { nullable: true, description: 'ISO 639-1 code, lowercase.' }),
    strategy: t.exposeString('strategy', { nullable: true, description: 'Free text: how to approach this contact.' }),
    linkedInUrl: t.exposeString('linkedInUrl', {
      nullable: true,
      description: 'LinkedIn profile, canonical https://www.linkedin.com/in/{slug}.',
    }),
    blocked: t.exposeBoolean('blocked', { description: 'Whether the contact must not be contacted.' }),
    profilePictureId: t.exposeInt('profilePictureId', { nullable: true, description: 'Id of the profile picture.' }),
    customFields: t.expose('customFields', { type: 'JSON', nullable: true, description: 'Object of custom or remote fields.' }),
    source: t.expose('source', { type: ContactSourceEnum, description: 'Where the contact came from.' }),
    version: t.exposeInt('version', {
      description: 'Starts at 1 and goes up by 1 with every change; send it back as expectedVersion for optimistic concurrency.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the contact was created.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When the contact last changed.' }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true, description: 'When the contact was deleted (soft delete).' }),
  }),
});

builder.prismaObject('Email', {
  description: 'An email address of a contact.',
  fields: (t) => ({
    address: t.exposeString('address', { description: 'The address, trimmed and lowercase.' }),
    type: t.expose('type', { type: EmailTypeEnum, description: 'WORK, PERSONAL or OTHER.' }),
    primary: t.boolean({ description: 'Whether this is the primary email.', resolve: (e) => e.position === 0 }),
  }),
});

builder.prismaObject('Phone', {
  description: 'A phone number of a contact.',
  fields: (t) => ({
    number: t.exposeString('number', { description: 'The number as it was sent.' }),
    e164: t.exposeString('e164', { description: 'The number in E.164 form.' }),
    type: t.expose('type', { type: PhoneTypeEnum, description: 'MOBILE, WORK, HOME, FAX or OTHER.' }),
    primary: t.boolean({ description: 'Whether this is the primary phone.', resolve: (p) => p.position === 0 }),
    country: t.exposeString('country', { nullable: true, description: 'ISO 3166-1 alpha-2 of the number, when known.' }),
  }),
});

builder.prismaObject('Employment', {
  description: "A contact's connection to a company.",
  fields: (t) => ({
    company: t.relation('company', { description: 'The company.' }),
    jobTitle: t.exposeString('jobTitle', { nullable: true, description: 'The job title at that company.' }),
    primary: t.exposeBoolean('primary', { description: 'Whether this is the primary connection (exactly one is).' }),
  }),
});

builder.prismaObject('ExternalRef', {
  description: 'The record of a contact in another system.',
  fields: (t) => ({
    namespace: t.exposeString('namespace', { description: 'The other system, lowercase (e.g. "salesforce").' }),
    externalId: t.exposeString('externalId', { description: 'The id in that system, case-sensitive.' }),
  }),
});

builder.prismaObject('Address', {
  description: 'A postal address.',
  fields: (t) => ({
    type: t.exposeString('type', { nullable: true, description: 'What the address is, e.g. "home" or "work".' }),
    street1: t.exposeString('street1', { nullable: true, description: 'First street line.' }),
    street2: t.exposeString('street2', { nullable: true, description: 'Second street line.' }),
    city: t.exposeString('city', { nullable: true, description: 'City.' }),
    state: t.exposeString('state', { nullable: true, description: 'State or province.' }),
    countrySubdivision: t.exposeString('countrySubdivision', { nullable: true, description: 'ISO 3166-2 subdivision.' }),
    country: t.exposeString('country', { nullable: true, description: 'Country.' }),
    postalCode: t.exposeString('postalCode', { nullable: true, description: 'Postal code.' }),
  }),
});
