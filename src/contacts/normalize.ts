// Normalization of single values (API.md, Rules shared by create, upsert and
// update). Each returns the stored form, or null when the value is invalid.

/** Lengths are counted in characters (code points), not UTF-16 units. */
export function lengthOf(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

// Pragmatic address check: one @, no spaces, control characters or bidi
// controls (which would show the address other than it is), a domain of
// dot-separated labels with a TLD of letters. Not RFC 5322, on purpose.
const EMAIL = /^[^\s@"(),:;<>[\\\]\p{Cc}\u202A-\u202E\u2066-\u2069]+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}]{2,63}$/u;

/** Emails are stored trimmed and lowercase. */
export function normalizeEmail(input: string): string | null {
  const address = input.trim().toLowerCase();
  if (!EMAIL.test(address)) return null;
  const local = address.slice(0, address.lastIndexOf('@'));
  if (local.length > 64 || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return null;
  return address;
}

const LINKEDIN_HOST = /^(?:(?:www|[a-z]{2,3}|m)\.)?linkedin\.com$/;
const LINKEDIN_SLUG = /^[\p{L}\p{N}_%-]{1,100}$/u;

/**
 * https://www.linkedin.com/in/{slug} and its common variants (http, no www, a
 * country or mobile subdomain, trailing slash, query string or fragment) are
 * stored in the canonical form; any other URL is invalid.
 */
export function canonicalLinkedInUrl(input: string): string | null {
  let text = input.trim();
  if (!/^https?:\/\//i.test(text)) text = `https://${text}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.username !== '' || url.password !== '' || url.port !== '') return null;
  if (!LINKEDIN_HOST.test(url.hostname.toLowerCase())) return null;
  const parts = url.pathname.split('/').filter((part) => part !== '');
  if (parts.length !== 2 || parts[0]!.toLowerCase() !== 'in') return null;
  let slug: string;
  try {
    slug = decodeURIComponent(parts[1]!);
  } catch {
    return null;
  }
  if (!LINKEDIN_SLUG.test(slug)) return null;
  return `https://www.linkedin.com/in/${encodeURIComponent(slug)}`;
}

/** Tags are trimmed, empty ones dropped, exact duplicates merged, and sorted. */
export function normalizeTags(tags: readonly string[]): string[] {
  const unique = new Set(tags.map((tag) => tag.trim()).filter((tag) => tag !== ''));
  return [...unique].sort(compareCodePoints);
}

/** Code-point order: the same on every machine and in every locale. */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** External ref namespaces are case-insensitive and stored lowercase (API.md, External refs). */
export function normalizeNamespace(namespace: string): string {
  return namespace.trim().toLowerCase();
}

/** How deeply objects and arrays nest in a JSON value (a flat object is 1), without recursion. */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth > deepest) deepest = depth;
    for (const child of Array.isArray(item) ? item : Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}
