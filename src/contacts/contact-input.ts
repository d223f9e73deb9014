// Validates a contact input and turns it into ContactChanges. Every error of
// the input is reported together, each with its path into the input (the
// schema places it under the mutation's argument: API.md, Mutations:
// UserError.field).
import { userError, type UserError } from '../errors.js';
import type { ContactSource, EmailType, PhoneType } from '../generated/prisma/enums.js';
import { withRemoteDefaults, type AddressEntry, type ConnectionEntry, type ContactChanges, type EmailEntry, type PhoneEntry, type RefEntry } from './contact-state.js';
import { ISO_639_1 } from './languages.js';
import { canonicalLinkedInUrl, jsonDepth, lengthOf, normalizeEmail, normalizeNamespace, normalizeTags } from './normalize.js';
import { normalizePhone } from './phone.js';
import { validateSeedFields, type SeedFieldsInput } from './seed-fields.js';

type Maybe<T> = T | null | undefined;

/**
 * A company by its database id, or by its name (exactly one of the two). An
 * `id` of null stands for an id that names no company (a malformed one).
 */
export interface CompanyRef { id?: string | null; name?: Maybe<string> }

export interface ContactInput extends SeedFieldsInput {
  firstName?: Maybe<string>;
  lastName?: Maybe<string>;
  email?: Maybe<string>;
  emails?: Maybe<{ address: string; type?: Maybe<EmailType> }[]>;
  phone?: Maybe<string>;
  phones?: Maybe<{ number: string; type?: Maybe<PhoneType> }[]>;
  connections?: Maybe<{ company: CompanyRef; jobTitle?: Maybe<string>; primary?: Maybe<boolean> }[]>;
  primaryLanguage?: Maybe<string>;
  strategy?: Maybe<string>;
  tags?: Maybe<string[]>;
  linkedInUrl?: Maybe<string>;
  blocked?: Maybe<boolean>;
  profilePictureId?: Maybe<number>;
  addresses?: Maybe<AddressInput[]>;
  customFields?: unknown;
  source?: Maybe<ContactSource>;
  externalRefs?: Maybe<ExternalRefInput[]>;
}

export interface ExternalRefInput {
  namespace: string;
  externalId: string;
  remoteCreatedAt?: Maybe<Date>;
  remoteUpdatedAt?: Maybe<Date>;
  remoteDeleted?: Maybe<boolean>;
}

export type AddressInput = { [K in keyof AddressEntry]?: Maybe<string> };

/** Limits in characters (API.md, upsertContact input fields; the rest are ours, in docs/behaviour.md). */
export const LIMITS = {
  firstName: 100, lastName: 100, email: 254, phone: 20, phoneInList: 30, primaryLanguage: 10, strategy: 4000,
  namespace: 50, externalId: 255, companyName: 200, tag: 100, tags: 100, jobTitle: 200, addressField: 255, listEntries: 50,
  customFieldsBytes: 65_536, customFieldsDepth: 32,
} as const;

export interface ValidationContext {
  defaultCountry: string | null;
}

export interface ValidatedInput {
  changes: ContactChanges;
  errors: UserError[];
  /** Company ids to check for existence, with the path of each. */
  companyRefs: { companyId: string; field: string[] }[];
  /** Companies given by name: the connection's companyId is `placeholder` until the name is resolved. */
  companyNames: CompanyName[];
}

/** A company named in a connection: trimmed, and the placeholder its connection carries. */
export interface CompanyName { name: string; placeholder: string; field: string[] }

/** Stands for a named company until it is found or created; names compare case-insensitively. */
const placeholderOf = (name: string) => `name:${name.toLowerCase()}`;

/** One input being validated: where its fields are, and what the checks found so far. */
interface Validation {
  input: ContactInput;
  ctx: ValidationContext;
  at: (...path: (string | number)[]) => string[];
  changes: ContactChanges;
  errors: UserError[];
  companyRefs: ValidatedInput['companyRefs'];
  companyNames: CompanyName[];
}

/**
 * The change an input asks for, normalised, with every error at its path in
 * the input. Each group of fields is checked by a function of its own below,
 * in the order the errors are reported.
 */
export function validateContactInput(input: ContactInput, ctx: ValidationContext): ValidatedInput {
  const v: Validation = {
    input, ctx,
    at: (...path) => path.map(String),
    changes: {}, errors: [], companyRefs: [], companyNames: [],
  };
  validateScalars(v);
  validateTags(v);
  validateEmails(v);
  validatePhones(v);
  validateConnections(v);
  validateAddresses(v);
  validateRefList(v);
  return { changes: v.changes, errors: v.errors, companyRefs: v.companyRefs, companyNames: v.companyNames };
}

/** Names, strategy, the seed fields, language, LinkedIn URL, flags, source and customFields. */
function validateScalars({ input, at, changes, errors }: Validation): void {
  const text = (field: 'firstName' | 'lastName' | 'strategy', max: number) => {
    const value = input[field];
    if (value === undefined) return;
    if (value === null || value.trim() === '') return void (changes[field] = null);
    if (lengthOf(value) > max) return void errors.push(userError('TOO_LONG', at(field), `${field} is longer than ${max} characters.`));
    changes[field] = field === 'strategy' ? value : value.trim();
  };
  text('firstName', LIMITS.firstName);
  text('lastName', LIMITS.lastName);
  text('strategy', LIMITS.strategy);
  validateSeedFields(input, at, changes, errors);

  if (input.primaryLanguage !== undefined) {
    const value = input.primaryLanguage;
    if (value === null || value.trim() === '') changes.primaryLanguage = null;
    else if (lengthOf(value) > LIMITS.primaryLanguage) errors.push(userError('TOO_LONG', at('primaryLanguage'), `primaryLanguage is longer than ${LIMITS.primaryLanguage} characters.`));
    else if (!ISO_639_1.has(value.trim().toLowerCase())) errors.push(userError('INVALID_LANGUAGE', at('primaryLanguage'), `"${value}" is not an ISO 639-1 language code.`));
    else changes.primaryLanguage = value.trim().toLowerCase();
  }

  if (input.linkedInUrl !== undefined) {
    const value = input.linkedInUrl;
    if (value === null || value.trim() === '') changes.linkedInUrl = null;
    else {
      const canonical = lengthOf(value) > 2048 ? null : canonicalLinkedInUrl(value);
      if (canonical === null) errors.push(userError('INVALID_URL', at('linkedInUrl'), 'linkedInUrl must be a LinkedIn profile URL, https://www.linkedin.com/in/{slug}.'));
      else changes.linkedInUrl = canonical;
    }
  }

  // blocked is never null on a contact: null resets it to its default, false.
  if (input.blocked !== undefined) changes.blocked = input.blocked ?? false;
  if (input.profilePictureId !== undefined) changes.profilePictureId = input.profilePictureId;
  if (input.source !== undefined) {
    if (input.source === null) errors.push(userError('INVALID', at('source'), 'source cannot be cleared.'));
    else changes.source = input.source;
  }

  if (input.customFields !== undefined) {
    const value = input.customFields;
    if (value === null) changes.customFields = null;
    else if (typeof value !== 'object' || Array.isArray(value)) errors.push(userError('INVALID', at('customFields'), 'customFields must be a JSON object.'));
    else if (jsonDepth(value) > LIMITS.customFieldsDepth) errors.push(userError('INVALID', at('customFields'), `customFields nests objects and arrays more than ${LIMITS.customFieldsDepth} levels deep.`));
    else if (Buffer.byteLength(JSON.stringify(value)) > LIMITS.customFieldsBytes) errors.push(userError('TOO_LONG', at('customFields'), `customFields is larger than ${LIMITS.customFieldsBytes} bytes.`));
    else changes.customFields = value as Record<string, unknown>;
  }
}

/** Each tag checked at its index as sent; the stored list trimmed, deduplicated and sorted. */
function validateTags({ input, at, changes, errors }: Validation): void {
  if (input.tags === undefined) return;
  const tags = input.tags ?? [];
  tags.forEach((tag, i) => {
    if (lengthOf(tag.trim()) > LIMITS.tag) errors.push(userError('TOO_LONG', at('tags', i), `A tag is longer than ${LIMITS.tag} characters.`));
  });
  const normalized = normalizeTags(tags);
  if (normalized.length > LIMITS.tags) errors.push(userError('LIMIT_EXCEEDED', at('tags'), `A contact has at most ${LIMITS.tags} tags.`));
  changes.tags = normalized;
}

/** LIMIT_EXCEEDED (and true) when a list has more entries than a contact may hold. */
function tooMany({ at, errors }: Validation, field: string, list: readonly unknown[]): boolean {
  if (list.length <= LIMITS.listEntries) return false;
  errors.push(userError('LIMIT_EXCEEDED', at(field), `${field} has more than ${LIMITS.listEntries} entries.`));
  return true;
}

function validateEmails(v: Validation): void {
  const { input, at, changes, errors } = v;
  const email = (address: string, type: EmailType, path: string[]): EmailEntry | null => {
    if (lengthOf(address) > LIMITS.email) return fail(errors, userError('TOO_LONG', path, `The email address is longer than ${LIMITS.email} characters.`));
    const normalized = normalizeEmail(address);
    if (normalized === null) return fail(errors, userError('INVALID_EMAIL', path, `"${address}" is not a valid email address.`));
    return { address: normalized, type };
  };
  if (input.email !== undefined) {
    if (input.email === null) changes.email = null;
    else {
      const entry = email(input.email, 'OTHER', at('email'));
      if (entry) changes.email = entry;
    }
  }
  if (input.emails !== undefined) {
    const list = input.emails ?? [];
    if (!tooMany(v, 'emails', list)) {
      const entries = list.map((e, i) => email(e.address, e.type ?? 'OTHER', at('emails', i, 'address')));
      changes.emails = entries.filter((e): e is EmailEntry => e !== null);
    }
  }
}

function validatePhones(v: Validation): void {
  const { input, ctx, at, changes, errors } = v;
  const phone = (number: string, type: PhoneType, max: number, path: string[]): PhoneEntry | null => {
    if (lengthOf(number) > max) return fail(errors, userError('TOO_LONG', path, `The phone number is longer than ${max} characters.`));
    const parsed = normalizePhone(number, ctx.defaultCountry);
    if (parsed === null) {
      const hint = number.trim().startsWith('+') || ctx.defaultCountry ? '' : ' Numbers without "+" need the workspace defaultCountry.';
      return fail(errors, userError('INVALID_PHONE', path, `"${number}" is not a valid phone number.${hint}`));
    }
    return { number, e164: parsed.e164, type, country: parsed.country };
  };
  if (input.phone !== undefined) {
    if (input.phone === null) changes.phone = null;
    else {
      const entry = phone(input.phone, 'OTHER', LIMITS.phone, at('phone'));
      if (entry) changes.phone = entry;
    }
  }
  if (input.phones !== undefined) {
    const list = input.phones ?? [];
    if (!tooMany(v, 'phones', list)) {
      const entries = list.map((p, i) => phone(p.number, p.type ?? 'OTHER', LIMITS.phoneInList, at('phones', i, 'number')));
      changes.phones = entries.filter((p): p is PhoneEntry => p !== null);
    }
  }
}

/** Each connection's company (by id or by name) and job title; exactly one primary; no company twice. */
function validateConnections(v: Validation): void {
  const { input, at, changes, errors } = v;
  if (input.connections === undefined) return;
  const list = input.connections ?? [];
  if (tooMany(v, 'connections', list)) return;
  const entries: ConnectionEntry[] = [];
  list.forEach((c, i) => {
    const companyId = companyOf(c.company, at('connections', i, 'company'), v);
    const jobTitle = c.jobTitle?.trim() || null;
    if (jobTitle !== null && lengthOf(jobTitle) > LIMITS.jobTitle) errors.push(userError('TOO_LONG', at('connections', i, 'jobTitle'), `jobTitle is longer than ${LIMITS.jobTitle} characters.`));
    entries.push({ companyId: companyId ?? '', jobTitle, primary: c.primary === true });
  });
  // Exactly one primary, except that a single connection whose primary is
  // omitted is primary (API.md, connections).
  const only = list.length === 1 ? list[0]! : null;
  if (only !== null && (only.primary === undefined || only.primary === null)) entries[0]!.primary = true;
  const primaries = entries.filter((e) => e.primary).length;
  if (entries.length > 0 && primaries !== 1) {
    errors.push(userError('PRIMARY_CONNECTION', at('connections'), `Exactly one connection must be primary; ${primaries} are.`));
  }
  // A refused company (companyId '') is reported at its own path, not as a repeat.
  const accepted = entries.filter((e) => e.companyId !== '');
  if (new Set(accepted.map((e) => e.companyId)).size !== accepted.length) errors.push(userError('INVALID', at('connections'), 'A company appears twice in connections.'));
  changes.connections = entries;
}

function validateAddresses(v: Validation): void {
  const { input, at, changes, errors } = v;
  if (input.addresses === undefined) return;
  const list = input.addresses ?? [];
  if (tooMany(v, 'addresses', list)) return;
  changes.addresses = list.map((a, i) => {
    const entry: AddressEntry = {
      type: null, street1: null, street2: null, city: null, state: null, countrySubdivision: null, country: null, postalCode: null,
    };
    for (const key of Object.keys(entry) as (keyof AddressEntry)[]) {
      const value = a[key]?.trim() || null;
      if (value !== null && lengthOf(value) > LIMITS.addressField) errors.push(userError('TOO_LONG', at('addresses', i, key), `${key} is longer than ${LIMITS.addressField} characters.`));
      entry[key] = value;
    }
    return entry;
  });
}

/** The list replaces the refs: a remote field left out is cleared. */
function validateRefList(v: Validation): void {
  const { input, at, changes, errors } = v;
  if (input.externalRefs === undefined) return;
  const list = input.externalRefs ?? [];
  if (tooMany(v, 'externalRefs', list)) return;
  const refs = list.map((r, i) => validateExternalRef(r, at('externalRefs', i), errors));
  changes.externalRefs = refs
    .filter((r): r is RefEntry => r !== null)
    .map(withRemoteDefaults);
}

/**
 * The companyId of a connection's company: its database id, or the
 * placeholder of its name; null when refused (the error is pushed).
 */
function companyOf(
  ref: CompanyRef,
  path: string[],
  found: { errors: UserError[]; companyRefs: ValidatedInput['companyRefs']; companyNames: CompanyName[] },
): string | null {
  const hasId = ref.id !== undefined;
  const hasName = ref.name !== undefined && ref.name !== null;
  if (hasId === hasName) return fail(found.errors, userError('INVALID', path, 'Give the company by exactly one of id and name.'));
  if (hasId) {
    const companyId = ref.id!;
    if (companyId === null) return fail(found.errors, userError('NOT_FOUND', [...path, 'id'], 'No company has this id.'));
    found.companyRefs.push({ companyId, field: [...path, 'id'] });
    return companyId;
  }
  const name = ref.name!.trim();
  if (name === '') return fail(found.errors, userError('INVALID', [...path, 'name'], 'A company needs a name.'));
  if (lengthOf(name) > LIMITS.companyName) return fail(found.errors, userError('TOO_LONG', [...path, 'name'], `name is longer than ${LIMITS.companyName} characters.`));
  const placeholder = placeholderOf(name);
  found.companyNames.push({ name, placeholder, field: [...path, 'name'] });
  return placeholder;
}

function fail(errors: UserError[], error: UserError): null {
  errors.push(error);
  return null;
}

/** namespace (≤50) is case-insensitive and stored lowercase; externalId (≤255) is case-sensitive. */
export function validateExternalRef(ref: ExternalRefInput, path: string[], errors: UserError[]): RefEntry | null {
  const namespace = normalizeNamespace(ref.namespace);
  const externalId = ref.externalId;
  const before = errors.length;
  if (namespace === '') errors.push(userError('INVALID', [...path, 'namespace'], 'namespace must not be empty.'));
  else if (lengthOf(namespace) > LIMITS.namespace) errors.push(userError('TOO_LONG', [...path, 'namespace'], `namespace is longer than ${LIMITS.namespace} characters.`));
  if (externalId.trim() === '') errors.push(userError('INVALID', [...path, 'externalId'], 'externalId must not be empty.'));
  else if (lengthOf(externalId) > LIMITS.externalId) errors.push(userError('TOO_LONG', [...path, 'externalId'], `externalId is longer than ${LIMITS.externalId} characters.`));
  if (errors.length !== before) return null;
  // A remote field left out stays undefined: an upsert's match key keeps the stored value then.
  const entry: RefEntry = { namespace, externalId };
  if (ref.remoteCreatedAt !== undefined) entry.remoteCreatedAt = ref.remoteCreatedAt?.toISOString() ?? null;
  if (ref.remoteUpdatedAt !== undefined) entry.remoteUpdatedAt = ref.remoteUpdatedAt?.toISOString() ?? null;
  if (ref.remoteDeleted !== undefined) entry.remoteDeleted = ref.remoteDeleted ?? false;
  return entry;
}
