// The benchmark's data: N contacts (default 10,000) in one workspace, made by a
// seeded PRNG so every run (and both servers) see the same rows and ids.
// Written in bulk with createMany straight into the store DATABASE_URL names,
// following the store's rules: emails lowercase at position 0.. (0 = primary),
// phones as sent + E.164, exactly one primary employment, ref namespaces
// lowercase and live, workspaceId on every row.
//
//   npx tsx bench/seed.ts            # seeds ./bench/.data/seed (PGlite) or DATABASE_URL
import { getExampleNumber, parsePhoneNumber, type CountryCode } from 'libphonenumber-js';
import { createRequire } from 'node:module';
import { hashApiKey } from '../src/auth/api-keys.js';
import type { PrismaClient, Prisma } from '../src/generated/prisma/client.js';

// examples.mobile.json is CommonJS-exported JSON: require it rather than import it.
const examples = createRequire(import.meta.url)('libphonenumber-js/examples.mobile.json') as Record<string, string>;

/** The bench workspace's key, fixed so that a seeded store can be reused. Never used outside bench/. */
export const BENCH_API_KEY = 'cgw_bench_0123456789abcdefghijklmnopqrstuv';
export const SEED_VERSION = 1;

export const NAMESPACES = ['salesforce', 'hubspot', 'zendesk'] as const;
const COUNTRIES: CountryCode[] = ['US', 'GB', 'DE', 'FR', 'IN', 'BR', 'JP', 'AU', 'CA', 'ES', 'IT', 'NL', 'MX', 'ZA', 'SE', 'PL'];
export const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Dennis', 'Radia', 'John', 'Hedy', 'Tim', 'Katherine', 'Linus'];
export const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Hamilton', 'Ritchie', 'Perlman', 'McCarthy', 'Lamarr', 'Berners-Lee', 'Johnson', 'Torvalds'];
const TAGS = ['customer', 'lead', 'partner', 'vip', 'churned', 'newsletter', 'event-2025', 'investor'];
const TITLES = ['CEO', 'CTO', 'Engineer', 'Designer', 'Sales', null];
const CITIES = [['Berlin', 'DE', '10115'], ['Paris', 'FR', '75001'], ['Austin', 'US', '73301'], ['Osaka', 'JP', '530-0001'], ['Leeds', 'GB', 'LS1 1AA']] as const;

/** mulberry32: small, fast, and the same sequence on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuidFrom(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const pick = <T>(rand: () => number, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;

/** The j-th phone of the seed: an example mobile number of a country, its last 4 digits varied so every number is unique. */
export function seedPhone(j: number): { number: string; e164: string; country: string | null } {
  const country = COUNTRIES[j % COUNTRIES.length]!;
  const example = getExampleNumber(country, examples as never)!;
  const national = example.nationalNumber.slice(0, -4) + String(Math.floor(j / COUNTRIES.length) % 10000).padStart(4, '0');
  const parsed = parsePhoneNumber(national, country);
  return { number: parsed.formatInternational(), e164: parsed.number, country: parsed.country ?? country };
}

export interface SeedData {
  workspace: Prisma.WorkspaceCreateManyInput;
  apiKey: Prisma.ApiKeyCreateManyInput;
  companies: Prisma.CompanyCreateManyInput[];
  contacts: Prisma.ContactCreateManyInput[];
  emails: Prisma.EmailCreateManyInput[];
  phones: Prisma.PhoneCreateManyInput[];
  employments: Prisma.EmploymentCreateManyInput[];
  externalRefs: Prisma.ExternalRefCreateManyInput[];
  addresses: Prisma.AddressCreateManyInput[];
}

export function generateSeed(contactCount = 10_000, companyCount = 500): SeedData {
  const rand = prng(0x5eed + SEED_VERSION);
  const workspaceId = uuidFrom(rand);
  const base = Date.UTC(2025, 0, 1);
  const companies = Array.from({ length: companyCount }, (_, i) => ({
    id: uuidFrom(rand),
    workspaceId,
    name: `Company ${String(i).padStart(3, '0')}`,
    domain: `company${i}.example.com`,
    createdAt: new Date(base + i * 1000),
    updatedAt: new Date(base + i * 1000),
  }));
  const data: SeedData = {
    workspace: { id: workspaceId, name: 'bench' },
    apiKey: { id: uuidFrom(rand), workspaceId, hash: hashApiKey(BENCH_API_KEY), prefix: BENCH_API_KEY.slice(0, 10) },
    companies,
    contacts: [],
    emails: [],
    phones: [],
    employments: [],
    externalRefs: [],
    addresses: [],
  };
  const seed: SeedContext = { rand, workspaceId, base, data };
  for (let i = 0; i < contactCount; i++) addContact(seed, i);
  return data;
}

/** What every seeded contact draws on; the rows it gets are pushed to `data`. */
interface SeedContext {
  rand: () => number;
  workspaceId: string;
  /** The companies' creation time; contacts are created an hour later, a second apart. */
  base: number;
  data: SeedData;
}

/**
 * The i-th contact with its emails, phones, employments, refs and address.
 * Each draws from the one PRNG in this order, so the order is part of the seed.
 */
function addContact(seed: SeedContext, i: number): void {
  const contact = contactRow(seed, i);
  seed.data.contacts.push(contact);
  const { rand, workspaceId, data } = seed;
  const contactId = contact.id!;
  const companyCount = data.companies.length;
  const slug = `${contact.firstName}.${contact.lastName}`.toLowerCase();
  data.emails.push(
    { id: uuidFrom(rand), workspaceId, contactId, address: `${slug}.${i}@company${i % companyCount}.example.com`, type: 'WORK', position: 0 },
    { id: uuidFrom(rand), workspaceId, contactId, address: `${slug}${i}@mail.example.org`, type: 'PERSONAL', position: 1 },
  );
  for (let k = 0; k < 2; k++) {
    data.phones.push({ id: uuidFrom(rand), workspaceId, contactId, ...seedPhone(2 * i + k), type: k === 0 ? 'MOBILE' : 'WORK', position: k });
  }
  const jobs = 1 + Math.floor(rand() * 2);
  const first = Math.floor(rand() * companyCount);
  for (let k = 0; k < jobs; k++) {
    const companyId = data.companies[(first + k * 7) % companyCount]!.id!;
    data.employments.push({ id: uuidFrom(rand), workspaceId, contactId, companyId, jobTitle: pick(rand, TITLES), primary: k === 0, position: k });
  }
  const refs = 1 + Math.floor(rand() * 3);
  for (let k = 0; k < refs; k++) {
    data.externalRefs.push({ id: uuidFrom(rand), workspaceId, contactId, namespace: NAMESPACES[k]!, externalId: `${NAMESPACES[k]!.slice(0, 2).toUpperCase()}-${i}`, live: true });
  }
  const [city, country, postalCode] = pick(rand, CITIES);
  data.addresses.push({ id: uuidFrom(rand), workspaceId, contactId, position: 0, type: 'work', street1: `${1 + i % 200} Main Street`, city, country, postalCode });
}

/** The i-th contact's own row. */
function contactRow(seed: SeedContext, i: number): Prisma.ContactCreateManyInput {
  const { rand, workspaceId } = seed;
  const id = uuidFrom(rand);
  const firstName = pick(rand, FIRST);
  const lastName = pick(rand, LAST);
  const at = new Date(seed.base + 3_600_000 + i * 1000);
  const tags = [...new Set(Array.from({ length: Math.floor(rand() * 4) }, () => pick(rand, TAGS)))].sort();
  return {
    id,
    workspaceId,
    firstName,
    lastName,
    primaryLanguage: pick(rand, ['en', 'de', 'fr', 'ja', null]),
    strategy: rand() < 0.3 ? 'Quarterly check-in; prefers email.' : null,
    linkedInUrl: rand() < 0.5 ? `https://www.linkedin.com/in/${firstName.toLowerCase()}-${lastName.toLowerCase()}-${i}` : null,
    blocked: rand() < 0.02,
    profilePictureId: rand() < 0.5 ? i : null,
    customFields: rand() < 0.5 ? { tier: pick(rand, ['gold', 'silver', 'bronze']), score: Math.floor(rand() * 100) } : undefined,
    tags,
    source: pick(rand, ['MANUAL', 'IMPORT', 'API', 'SYNC'] as const),
    createdAt: at,
    updatedAt: at,
  };
}

/** Replaces the bench workspace (if any) with a fresh seed. Returns the row counts written. */
export async function seedStore(prisma: PrismaClient, contactCount = 10_000): Promise<Record<string, number>> {
  const data = generateSeed(contactCount);
  const workspaceId = data.workspace.id!;
  // Cascades to every tenant row; the two tables without a foreign key are cleared by hand.
  await prisma.workspace.deleteMany({ where: { id: workspaceId } });
  await prisma.contactChange.deleteMany({ where: { workspaceId } });
  await prisma.idempotentRequest.deleteMany({ where: { workspaceId } });
  await prisma.workspace.create({ data: data.workspace });
  await prisma.apiKey.create({ data: data.apiKey });
  const counts: Record<string, number> = {};
  const insert = async <T>(name: string, rows: T[], createMany: (chunk: T[]) => Promise<{ count: number }>) => {
    counts[name] = 0;
    for (let i = 0; i < rows.length; i += 2000) counts[name] += (await createMany(rows.slice(i, i + 2000))).count;
  };
  await insert('companies', data.companies, (data) => prisma.company.createMany({ data }));
  await insert('contacts', data.contacts, (data) => prisma.contact.createMany({ data }));
  await insert('emails', data.emails, (data) => prisma.email.createMany({ data }));
  await insert('phones', data.phones, (data) => prisma.phone.createMany({ data }));
  await insert('employments', data.employments, (data) => prisma.employment.createMany({ data }));
  await insert('externalRefs', data.externalRefs, (data) => prisma.externalRef.createMany({ data }));
  await insert('addresses', data.addresses, (data) => prisma.address.createMany({ data }));
  // Both servers start from analyzed tables: on PostgreSQL autovacuum would
  // get there at its own pace, on PGlite never (src/db/store.ts). VACUUM too:
  // the re-seed leaves the dead rows of every contact earlier runs created,
  // and autovacuum would clear them during the first rounds (it did, a minute
  // after a re-seed, in a run whose first rounds measured 1.3-1.7x the CPU per
  // request of its later ones).
  await prisma.$executeRawUnsafe('VACUUM ANALYZE');
  return counts;
}

async function main() {
  const { parseStoreLocation } = await import('../src/config.js');
  const { openStore } = await import('../src/db/store.js');
  const contacts = Number(process.env.BENCH_CONTACTS ?? 10_000);
  const store = await openStore(parseStoreLocation(process.env.DATABASE_URL ?? 'pglite:./bench/.data/seed'));
  try {
    await store.migrate();
    const started = Date.now();
    const counts = await seedStore(store.prisma, contacts);
    console.log(`Seeded ${store.kind} in ${((Date.now() - started) / 1000).toFixed(1)} s:`, counts);
  } finally {
    await store.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
