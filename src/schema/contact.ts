// The Contact type and its parts: Email, Phone, Employment, ExternalRef, Address.
import { builder } from './builder.js';
import { ContactSourceEnum, EmailTypeEnum, MessageChannelEnum, PhoneTypeEnum } from './enums.js';
import { displayName } from '../contacts/display-name.js';
import type { MessageChannel } from '../contacts/seed-fields.js';
import { requireWorkspace } from './guards.js';
import type { Prisma } from '../generated/prisma/client.js';

// The columns each part's type reads. Those types select only these (the
// plugin's select mode): a nested row of a read carries no ids, workspace or
// contact ids it never shows, which Prisma would otherwise parse and map for
// every row (bench W1 and W2). Their fields resolve plainly: an exposed field
// of a select-mode type is wrapped by the plugin and looked up again per row.
const EMAIL_COLUMNS = { address: true, type: true, position: true } as const;
const PHONE_COLUMNS = { number: true, e164: true, type: true, country: true, position: true } as const;
const ADDRESS_COLUMNS = {
  type: true,
  street1: true,
  street2: true,
  city: true,
  state: true,
  countrySubdivision: true,
  country: true,
  postalCode: true,
} as const;
const EXTERNAL_REF_COLUMNS = { namespace: true, externalId: true, remoteCreatedAt: true, remoteUpdatedAt: true, remoteDeleted: true } as const;

// One ordering per list, shared by the list fields and by the fields derived
// from them (email, phone, displayName), so the prisma plugin merges them into
// a single relation load.
const EMAILS = { orderBy: { position: 'asc' } } satisfies Prisma.Contact$emailsArgs;
const PHONES = { orderBy: { position: 'asc' } } satisfies Prisma.Contact$phonesArgs;
const CONNECTIONS = { orderBy: [{ primary: 'desc' }, { position: 'asc' }] } satisfies Prisma.Contact$employmentsArgs;
const EXTERNAL_REFS = { orderBy: [{ namespace: 'asc' }, { externalId: 'asc' }] } satisfies Prisma.Contact$externalRefsArgs;
const ADDRESSES = { orderBy: { position: 'asc' } } satisfies Prisma.Contact$addressesArgs;
const PRIMARY_EMAIL = { emails: { ...EMAILS, select: EMAIL_COLUMNS } } as const;
const PRIMARY_PHONE = { phones: { ...PHONES, select: PHONE_COLUMNS } } as const;

/**
 * The lists a mutation's stored contact holds (written-contact.ts): the
 * query each is read with, and the columns its type reads. Emails, phones
 * and addresses are in stored position; external refs are ordered by the
 * database's collation, so a stored contact answers for them only when it
 * has at most one.
 */
export const WRITTEN_LISTS = {
  emails: { query: EMAILS, columns: EMAIL_COLUMNS },
  phones: { query: PHONES, columns: PHONE_COLUMNS },
  addresses: { query: ADDRESSES, columns: ADDRESS_COLUMNS },
  externalRefs: { query: EXTERNAL_REFS, columns: EXTERNAL_REF_COLUMNS },
} as const;

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
      select: { firstName: true, lastName: true, ...PRIMARY_EMAIL, ...PRIMARY_PHONE },
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
      select: PRIMARY_EMAIL,
      resolve: (c) => c.emails[0]?.address ?? null,
    }),
    phone: t.string({
      nullable: true,
      description: 'The primary phone number, E.164.',
      select: PRIMARY_PHONE,
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

// The fields the seed systems bring (API.md, Seed fields).
builder.prismaObjectFields(ContactRef, (t) => ({
    gender: t.exposeString('gender', { nullable: true, description: 'Free text, trimmed (≤30 characters), e.g. "female".' }),
    website: t.exposeString('website', { nullable: true, description: 'An absolute http or https URL (≤2048 characters), trimmed.' }),
    timeZone: t.exposeString('timeZone', { nullable: true, description: 'IANA time zone name in canonical case, e.g. "America/Chihuahua".' }),
    dateOfBirth: t.expose('dateOfBirth', { type: 'Date', nullable: true, description: 'Date of birth; never in the future.' }),
    doNotDisturb: t.field({
      type: [MessageChannelEnum],
      // Stored as the channels' names, written only through the MessageChannel input.
      resolve: (c) => (c.doNotDisturb ?? []) as MessageChannel[],
      description: 'Channels the contact must not be messaged on, sorted by name and unique; [] when none. blocked says the contact must not be contacted at all.',
    }),
    assignedTo: t.exposeString('assignedTo', { nullable: true, description: "Opaque id (≤255 characters) of the contact's owner in the caller's system." }),
    lastActivityAt: t.expose('lastActivityAt', { type: 'DateTime', nullable: true, description: 'When the contact was last active, as the caller (a sync) set it.' }),
}));

builder.prismaObject('Email', {
  description: 'An email address of a contact.',
  select: EMAIL_COLUMNS,
  fields: (t) => ({
    address: t.string({ description: 'The address, trimmed and lowercase.', resolve: (e) => e.address }),
    type: t.field({ type: EmailTypeEnum, description: 'WORK, PERSONAL or OTHER.', resolve: (e) => e.type }),
    primary: t.boolean({ description: 'Whether this is the primary email.', resolve: (e) => e.position === 0 }),
  }),
});

builder.prismaObject('Phone', {
  description: 'A phone number of a contact.',
  select: PHONE_COLUMNS,
  fields: (t) => ({
    number: t.string({ description: 'The number as it was sent.', resolve: (p) => p.number }),
    e164: t.string({ description: 'The number in E.164 form.', resolve: (p) => p.e164 }),
    type: t.field({ type: PhoneTypeEnum, description: 'MOBILE, WORK, HOME, FAX or OTHER.', resolve: (p) => p.type }),
    primary: t.boolean({ description: 'Whether this is the primary phone.', resolve: (p) => p.position === 0 }),
    country: t.string({ nullable: true, description: 'ISO 3166-1 alpha-2 of the number, when known.', resolve: (p) => p.country }),
  }),
});

builder.prismaObject('Employment', {
  description: "A contact's connection to a company.",
  select: { jobTitle: true, primary: true },
  fields: (t) => ({
    company: t.relation('company', { description: 'The company.' }),
    jobTitle: t.string({ nullable: true, description: 'The job title at that company.', resolve: (e) => e.jobTitle }),
    primary: t.boolean({ description: 'Whether this is the primary connection (exactly one is).', resolve: (e) => e.primary }),
  }),
});

builder.prismaObject('ExternalRef', {
  description: 'The record of a contact in another system.',
  select: EXTERNAL_REF_COLUMNS,
  fields: (t) => ({
    namespace: t.string({ description: 'The other system, lowercase (e.g. "salesforce").', resolve: (r) => r.namespace }),
    externalId: t.string({ description: 'The id in that system, case-sensitive.', resolve: (r) => r.externalId }),
    remoteCreatedAt: t.field({ type: 'DateTime', nullable: true, description: 'When the record was created in that system, as sent.', resolve: (r) => r.remoteCreatedAt }),
    remoteUpdatedAt: t.field({ type: 'DateTime', nullable: true, description: 'When the record last changed in that system, as sent.', resolve: (r) => r.remoteUpdatedAt }),
    remoteDeleted: t.boolean({ description: 'Whether the record is deleted in that system (false unless sent).', resolve: (r) => r.remoteDeleted }),
  }),
});

builder.prismaObject('Address', {
  description: 'A postal address.',
  select: ADDRESS_COLUMNS,
  fields: (t) => ({
    type: t.string({ nullable: true, description: 'What the address is, e.g. "home" or "work".', resolve: (a) => a.type }),
    street1: t.string({ nullable: true, description: 'First street line.', resolve: (a) => a.street1 }),
    street2: t.string({ nullable: true, description: 'Second street line.', resolve: (a) => a.street2 }),
    city: t.string({ nullable: true, description: 'City.', resolve: (a) => a.city }),
    state: t.string({ nullable: true, description: 'State or province.', resolve: (a) => a.state }),
    countrySubdivision: t.string({ nullable: true, description: 'ISO 3166-2 subdivision.', resolve: (a) => a.countrySubdivision }),
    country: t.string({ nullable: true, description: 'Country.', resolve: (a) => a.country }),
    postalCode: t.string({ nullable: true, description: 'Postal code.', resolve: (a) => a.postalCode }),
  }),
});
