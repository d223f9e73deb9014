// Phone numbers are compared on E.164 (API.md, Rules: "Phones are parsed with
// libphonenumber metadata … numbers without a + use the workspace's default
// country"). Shared by the read side (filters, search) and the write side.
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export interface NormalizedPhone {
  /** The number in E.164 form, e.g. "+14155552671". */
  e164: string;
  /** ISO 3166-1 alpha-2 of the number, when the metadata knows it. */
  country: string | null;
}

/**
 * The E.164 form of a phone number typed in any format, or null when it does
 * not parse to a valid number. `defaultCountry` (ISO 3166-1 alpha-2) is used
 * for numbers without a leading "+"; an unknown code counts as none.
 */
export function normalizePhone(input: string, defaultCountry: string | null): NormalizedPhone | null {
  const country = defaultCountry !== null && isSupportedCountry(defaultCountry.toUpperCase())
    ? (defaultCountry.toUpperCase() as CountryCode)
    : undefined;
  const text = input.trim();
  // No phone number is this long; do not hand megabytes to the parser.
  if (text === '' || text.length > 64) return null;
  const parsed = parsePhoneNumberFromString(text, country);
  if (parsed === undefined || !parsed.isValid()) return null;
  return { e164: parsed.number, country: parsed.country ?? null };
}
