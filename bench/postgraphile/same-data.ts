// Whether PostGraphile's answer to a read workload holds the same data as the
// gateway's and B1's: the harness sends each server the workload's first
// request before any round and compares the answers reduced to one shape
// (ids as uuids, the lists in order, timestamps as instants), so a ratio
// never compares servers that fetched different rows.
import { decodeGlobalId } from '../../src/schema/global-id.js';

type Json = any;

export interface ContactData {
  id: string | null;
  firstName: string | null;
  lastName: string | null;
  emails: string[];
  phones: string[];
  connections: string[];
  externalRefs: string[];
  addresses: string[];
  scalars: string;
}

/** An instant in ms from either server's rendering (PostGraphile's `timestamp` has no zone: the store keeps UTC). */
const instant = (value: string | null) => (value === null ? null : Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`));

/** JSON with object keys sorted, so that two equal values print alike. */
const stable = (value: unknown): string =>
  value === null || typeof value !== 'object'
    ? JSON.stringify(value)
    : Array.isArray(value)
      ? `[${value.map(stable).join(',')}]`
      : `{${Object.keys(value)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`)
          .join(',')}}`;

const scalars = (c: Json) =>
  stable({
    tags: c.tags,
    primaryLanguage: c.primaryLanguage,
    strategy: c.strategy,
    linkedInUrl: c.linkedInUrl,
    blocked: c.blocked,
    profilePictureId: c.profilePictureId,
    customFields: c.customFields,
    source: c.source,
    version: c.version,
    createdAt: instant(c.createdAt),
    updatedAt: instant(c.updatedAt),
    deletedAt: instant(c.deletedAt),
  });

const address = (a: Json) => [a.type, a.street1, a.street2, a.city, a.state, a.countrySubdivision, a.country, a.postalCode].join('|');

/** PostGraphile's node id: base64 of JSON [type, uuid]. */
function pglUuid(nodeId: string): string | null {
  try {
    const decoded = JSON.parse(Buffer.from(nodeId, 'base64').toString('utf8')) as unknown;
    return Array.isArray(decoded) && typeof decoded[1] === 'string' ? decoded[1] : null;
  } catch {
    return null;
  }
}

/** A contact as the gateway and B1 answer it (bench/workloads.ts CONTACT_FIELDS). */
export function fromGateway(c: Json): ContactData {
  return {
    id: decodeGlobalId(c.id)?.id ?? null,
    firstName: c.firstName,
    lastName: c.lastName,
    emails: c.emails.map((e: Json) => `${e.address}|${e.type}|${e.primary}`),
    phones: c.phones.map((p: Json) => `${p.number}|${p.e164}|${p.type}|${p.primary}|${p.country}`),
    connections: c.connections.map((j: Json) => `${decodeGlobalId(j.company.id)?.id}|${j.company.name}|${j.company.domain}|${j.jobTitle}|${j.primary}`),
    externalRefs: c.externalRefs.map((r: Json) => `${r.namespace}|${r.externalId}`),
    addresses: c.addresses.map(address),
    scalars: scalars(c),
  };
}

/** A contact as PostGraphile answers it (PGL_CONTACT_FIELDS). */
export function fromPostGraphile(c: Json): ContactData {
  return {
    id: pglUuid(c.id),
    firstName: c.firstName,
    lastName: c.lastName,
    emails: c.emailsByContactId.nodes.map((e: Json) => `${e.address}|${e.type}|${e.position === 0}`),
    phones: c.phonesByContactId.nodes.map((p: Json) => `${p.number}|${p.e164}|${p.type}|${p.position === 0}|${p.country}`),
    connections: c.employmentsByContactId.nodes.map(
      (j: Json) => `${pglUuid(j.companyByCompanyId.id)}|${j.companyByCompanyId.name}|${j.companyByCompanyId.domain}|${j.jobTitle}|${j.primary}`,
    ),
    externalRefs: c.externalRefsByContactId.nodes.map((r: Json) => `${r.namespace}|${r.externalId}`),
    addresses: c.addressesByContactId.nodes.map(address),
    scalars: scalars(c),
  };
}

/** The contacts of a W1 or W2 answer, in order, whichever server gave it; throws on an answer with errors. */
export function contactsOf(workload: string, server: 'gateway' | 'baseline' | 'postgraphile', body: Json): ContactData[] {
  if (body.errors) throw new Error(`${workload} on ${server} answered with errors: ${JSON.stringify(body.errors).slice(0, 400)}`);
  const data = body.data;
  if (server === 'postgraphile') {
    const page = data.allContacts;
    return (page.edges ? page.edges.map((e: Json) => e.node) : page.nodes).map(fromPostGraphile);
  }
  if (workload === 'W2') return data.contact === null ? [] : [fromGateway(data.contact)];
  return data.contacts.edges.map((e: Json) => fromGateway(e.node));
}

/** The first difference between two answers, or null when they hold the same data. */
export function firstDifference(a: ContactData[], b: ContactData[]): string | null {
  if (a.length !== b.length) return `${a.length} contacts against ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    for (const key of Object.keys(a[i]!) as (keyof ContactData)[]) {
      const x = stable(a[i]![key]);
      const y = stable(b[i]![key]);
      if (x !== y) return `contact ${i} (${a[i]!.id}), ${key}: ${x.slice(0, 200)} against ${y.slice(0, 200)}`;
    }
  }
  return null;
}
