// Phone numbers are parsed with libphonenumber's metadata; a number without
// "+" is read in the workspace's default country (API.md, Rules shared by
// create, upsert and update).
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export function normalizePhone(input: string, defaultCountry: string | null): { e164: string; country: string | null } | null {
  const text = input.trim();
  if (text === '' || text.length > 64) return null;
  const parsed = parsePhoneNumberFromString(text, defaultCountry ? { defaultCountry: defaultCountry as CountryCode } : undefined);
  if (parsed === undefined || !parsed.isValid()) return null;
  return { e164: parsed.number, country: parsed.country ?? null };
}
