// The list fields other systems share in one form or another: emails and
// phones as strings or as objects with a value and a type label, addresses.
import { EMAIL_TYPES, isObject, PHONE_TYPES, squash, text } from '../values.js';
import { asList, RecordFields } from './fields.js';

/** A type label in the target's vocabulary; a label it lacks ("skype", "main") is OTHER. */
function typeOf<T extends string>(label: unknown, types: readonly T[], synonyms: Record<string, T> = {}): T | undefined {
  const t = text(label);
  if (t === undefined) return undefined;
  const key = squash(t);
  return types.find((type) => squash(type) === key) ?? synonyms[key] ?? ('OTHER' as T);
}

const PHONE_SYNONYMS: Record<string, (typeof PHONE_TYPES)[number]> = { cell: 'MOBILE', cellphone: 'MOBILE', mobilephone: 'MOBILE', office: 'WORK', business: 'WORK', home: 'HOME', fax: 'FAX' };
const EMAIL_SYNONYMS: Record<string, (typeof EMAIL_TYPES)[number]> = { business: 'WORK', office: 'WORK', home: 'PERSONAL', private: 'PERSONAL' };

export interface ListKeys {
  value: string[];
  type: string[];
}

/**
 * Values given as strings or as objects holding the value under one of
 * `keys.value` and its label under one of `keys.type`, as `{ [name]: value, type }`.
 */
function typedValuesOf<T extends string>(value: unknown, keys: ListKeys, name: string, types: readonly T[], synonyms: Record<string, T>) {
  return asList(value).flatMap((item) => {
    const fields = isObject(item) ? new RecordFields(item) : null;
    const v = text(fields === null ? item : fields.value(...keys.value));
    if (v === undefined) return [];
    const type = fields === null ? undefined : typeOf(fields.value(...keys.type), types, synonyms);
    return [{ [name]: v, ...(type ? { type } : {}) }];
  });
}

/** Emails given as strings or objects (`{ address | emailAddress | email | value, type | emailAddressType | label }`). */
export function emailsOf(value: unknown, keys: ListKeys = { value: ['address', 'emailAddress', 'email', 'value'], type: ['type', 'emailAddressType', 'label'] }) {
  return typedValuesOf(value, keys, 'address', EMAIL_TYPES, EMAIL_SYNONYMS);
}

/** Phones given as strings or objects (`{ number | phoneNumber | phone | value, type | phoneNumberType | label }`). */
export function phonesOf(value: unknown, keys: ListKeys = { value: ['number', 'phoneNumber', 'phone', 'value'], type: ['type', 'phoneNumberType', 'label'] }) {
  return typedValuesOf(value, keys, 'number', PHONE_TYPES, PHONE_SYNONYMS);
}

const ADDRESS_KEYS: Record<string, string[]> = {
  type: ['type', 'addressType', 'label'],
  street1: ['street1', 'street', 'address1', 'line1', 'streetAddress'],
  street2: ['street2', 'address2', 'line2'],
  city: ['city', 'town', 'locality'],
  state: ['state', 'region', 'province'],
  countrySubdivision: ['countrySubdivision', 'subdivision'],
  country: ['country', 'countryCode'],
  postalCode: ['postalCode', 'zip', 'zipCode', 'postcode'],
};

/** Addresses given as objects with the usual keys; empty ones dropped. */
export function addressesOf(value: unknown) {
  return asList(value).flatMap((item) => {
    if (!isObject(item)) return [];
    const fields = new RecordFields(item);
    const address: Record<string, string> = {};
    for (const [part, names] of Object.entries(ADDRESS_KEYS)) {
      const v = text(fields.value(...names));
      if (v !== undefined) address[part] = v;
    }
    return Object.keys(address).length === 0 ? [] : [address];
  });
}
