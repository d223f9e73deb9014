// Input types of the contact mutations. No input field has a default value:
// "left out" and "null" must reach the domain as different things.
import { builder } from './builder.js';
import { ContactMatchKeyEnum, ContactSourceEnum, EmailTypeEnum, MessageChannelEnum, PhoneTypeEnum } from './enums.js';
import type { InputFieldBuilder } from '@pothos/core';
import { idOf } from './global-id.js';

export const ExternalRefInput = builder.inputType('ExternalRefInput', {
  description: 'A record in another system.',
  fields: (t) => ({
    namespace: t.string({ required: true, description: 'The other system (≤50 characters, case-insensitive, stored lowercase).' }),
    externalId: t.string({ required: true, description: 'The id in that system (≤255 characters, case-sensitive).' }),
    remoteCreatedAt: t.field({ type: 'DateTime', description: 'When the record was created in that system.' }),
    remoteUpdatedAt: t.field({ type: 'DateTime', description: 'When the record last changed in that system.' }),
    remoteDeleted: t.boolean({
      description:
        "Whether the record is deleted in that system; false when not given. In externalRefs (which replace the refs) a remote field left out is cleared; in upsertContact's externalRef it is left as stored.",
    }),
  }),
});

const EmailInput = builder.inputType('EmailInput', {
  description: 'An email address.',
  fields: (t) => ({
    address: t.string({ required: true, description: 'The address (≤254 characters); stored trimmed and lowercase.' }),
    type: t.field({ type: EmailTypeEnum, description: 'WORK, PERSONAL or OTHER (the default).' }),
  }),
});

const PhoneInput = builder.inputType('PhoneInput', {
  description: 'A phone number.',
  fields: (t) => ({
    number: t.string({ required: true, description: 'The number in any format (≤30 characters); without "+" it is read in the workspace defaultCountry.' }),
    type: t.field({ type: PhoneTypeEnum, description: 'MOBILE, WORK, HOME, FAX or OTHER (the default).' }),
  }),
});

const CompanyRefInput = builder.inputType('CompanyRefInput', {
  description: 'A company of the workspace, by id or by name: exactly one of the two.',
  isOneOf: true,
  fields: (t) => ({
    id: t.id({ description: 'The global id of the company.' }),
    name: t.string({
      description:
        "The company's name (≤200 characters, trimmed), compared case-insensitively: the workspace's company of that name, created within the same write when there is none.",
    }),
  }),
});

const ConnectionInput = builder.inputType('ConnectionInput', {
  description: "A contact's connection to a company.",
  fields: (t) => ({
    company: t.field({ type: CompanyRefInput, required: true, description: 'The company.' }),
    jobTitle: t.string({ description: 'The job title there.' }),
    primary: t.boolean({ description: 'Whether this is the primary connection; exactly one must be (a single connection is primary when this is omitted).' }),
  }),
});

const AddressInput = builder.inputType('AddressInput', {
  description: 'A postal address; every part is optional (≤255 characters each).',
  fields: (t) => ({
    type: t.string({ description: 'What the address is, e.g. "home".' }),
    street1: t.string({ description: 'First street line.' }),
    street2: t.string({ description: 'Second street line.' }),
    city: t.string({ description: 'City.' }),
    state: t.string({ description: 'State or province.' }),
    countrySubdivision: t.string({ description: 'ISO 3166-2 subdivision.' }),
    country: t.string({ description: 'Country.' }),
    postalCode: t.string({ description: 'Postal code.' }),
  }),
});

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
type Fields = InputFieldBuilder<Types, 'InputObject'>;

/** The fields every contact input shares (API.md, upsertContact input fields). */
function contactFields(t: Fields) {
  return {
    firstName: t.string({ description: 'Given name (≤100 characters).' }),
    lastName: t.string({ description: 'Family name (≤100 characters).' }),
    email: t.string({ description: 'Sets the primary email (≤254). Added to emails when emails is not given; null removes the primary.' }),
    emails: t.field({ type: [EmailInput], description: 'Replaces all emails; the first is primary unless email is given. null or [] removes all.' }),
    phone: t.string({ description: 'Sets the primary phone (≤20). Added to phones when phones is not given; null removes the primary.' }),
    phones: t.field({ type: [PhoneInput], description: 'Replaces all phones; the first is primary unless phone is given. null or [] removes all.' }),
    connections: t.field({ type: [ConnectionInput], description: 'Replaces all company connections. null or [] removes all.' }),
    primaryLanguage: t.string({ description: 'ISO 639-1 code (≤10 characters).' }),
    strategy: t.string({ description: 'Free text (≤4000 characters).' }),
    tags: t.stringList({ description: 'Replaces all tags; trimmed, empty ones dropped, duplicates merged.' }),
    linkedInUrl: t.string({ description: 'A LinkedIn profile URL; stored as https://www.linkedin.com/in/{slug}.' }),
    blocked: t.boolean({ description: 'Whether the contact must not be contacted; null resets it to false.' }),
    profilePictureId: t.int({ description: 'Id of the profile picture.' }),
    addresses: t.field({ type: [AddressInput], description: 'Replaces all addresses. null or [] removes all.' }),
    customFields: t.field({ type: 'JSON', description: 'A JSON object of custom or remote fields; replaces the previous object.' }),
    source: t.field({ type: ContactSourceEnum, description: 'Where the contact came from; API when a mutation creates it without one.' }),
    gender: t.string({ description: 'Free text (≤30 characters), trimmed, else TOO_LONG.' }),
    website: t.string({ description: 'An absolute http or https URL (≤2048 characters), else INVALID_URL.' }),
    timeZone: t.string({ description: 'An IANA time zone name in any case ("america/chihuahua"), stored in canonical case; else INVALID_TIME_ZONE.' }),
    dateOfBirth: t.field({ type: 'Date', description: 'Date of birth, "YYYY-MM-DD"; a day after today (UTC) is INVALID_DATE.' }),
    doNotDisturb: t.field({ type: [MessageChannelEnum], description: 'Replaces the channels the contact must not be messaged on; stored sorted and unique. null or [] removes all.' }),
    assignedTo: t.string({ description: "Opaque id (≤255 characters) of the contact's owner in the caller's system, else TOO_LONG." }),
    lastActivityAt: t.field({ type: 'DateTime', description: 'When the contact was last active.' }),
  };
}

export const AmbiguousMatchPolicyEnum = builder.enumType('AmbiguousMatchPolicy', {
  description: 'What upsertContact does when the email matches one contact and the phone another.',
  values: {
    PRIORITY: { description: 'Update the contact matched by the first key of the sequence, and skip the other key\'s field.' },
    REJECT: { description: 'Return AMBIGUOUS_MATCH and write nothing.' },
  },
});

export const UpsertContactInput = builder.inputType('UpsertContactInput', {
  description: 'A contact to create or update, found by external ref or by the duplicate sequence.',
  fields: (t) => ({
    ...contactFields(t),
    externalRef: t.field({ type: ExternalRefInput, description: 'The match key when given: the contact holding it is updated, or a new one is created holding it.' }),
    matchBy: t.field({ type: [ContactMatchKeyEnum], description: "Overrides the workspace's duplicate sequence for this call; [] always creates." }),
    onAmbiguous: t.field({ type: AmbiguousMatchPolicyEnum, description: 'PRIORITY (the default) or REJECT.' }),
  }),
});

export const CreateContactInput = builder.inputType('CreateContactInput', {
  description: 'A contact to create.',
  fields: (t) => ({
    ...contactFields(t),
    externalRef: t.field({ type: ExternalRefInput, description: 'A record in another system; TAKEN when a live contact holds it.' }),
    externalRefs: t.field({ type: [ExternalRefInput], description: 'Records in other systems; TAKEN when a live contact holds one.' }),
  }),
});

export const UpdateContactInput = builder.inputType('UpdateContactInput', {
  description: 'A partial update: a field left out is unchanged, a field set to null is cleared.',
  fields: (t) => ({
    ...contactFields(t),
    externalRefs: t.field({ type: [ExternalRefInput], description: 'Replaces the set of external refs; TAKEN when another live contact holds one.' }),
  }),
});

interface WithConnections {
  connections?: { company: { id?: string | number | null; name?: string | null } }[] | null;
}

/**
 * The input with each connection's company given by its database id: the
 * global id decoded, or null when it names no company (the domain reports
 * NOT_FOUND at its path).
 */
export function withDecodedCompanyIds<T extends WithConnections>(input: T): T {
  if (!input.connections) return input;
  const connections = input.connections.map((c) =>
    c.company.id === undefined || c.company.id === null ? c : { ...c, company: { id: idOf('Company', String(c.company.id)) } },
  );
  return { ...input, connections };
}
