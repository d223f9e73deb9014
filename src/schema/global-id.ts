// Relay global ids: base64 of "<Type>:<uuid>". Anything else is "malformed",
// which the API treats exactly like an id that does not exist.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeGlobalId(typename: string, id: string): string {
  return Buffer.from(`${typename}:${id}`, 'utf8').toString('base64');
}

export function decodeGlobalId(globalId: string): { typename: string; id: string } | null {
  if (typeof globalId !== 'string' || globalId.length > 200 || !/^[A-Za-z0-9+/=_-]+$/.test(globalId)) return null;
  const decoded = Buffer.from(globalId, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  const typename = decoded.slice(0, colon);
  const id = decoded.slice(colon + 1);
  return UUID.test(id) ? { typename, id } : null;
}

/** The database id behind a global id of the given type, or null. */
export function idOf(typename: string, globalId: string): string | null {
  const decoded = decodeGlobalId(globalId);
  return decoded !== null && decoded.typename === typename ? decoded.id : null;
}
