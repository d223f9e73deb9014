// A server-to-server client of the contacts gateway with typed operations:
// it upserts one contact by its id in a CRM, then lists the workspace's first
// contacts. Run against a started gateway:
//   GATEWAY_URL=http://localhost:4000/graphql API_KEY=cgw_… npm start
import { GraphQLClient } from 'graphql-request';
import { graphql } from './gql/index.js';

const UpsertFromCrm = graphql(`
  mutation UpsertFromCrm($input: UpsertContactInput!) {
    upsertContact(input: $input) {
      created
      contact { id displayName email phone version }
      userErrors { code field message }
    }
  }
`);

const FirstContacts = graphql(`
  query FirstContacts($first: Int!) {
    contacts(first: $first) {
      totalCount
      edges { node { id displayName email tags } }
    }
  }
`);

const url = process.env.GATEWAY_URL ?? 'http://localhost:4000/graphql';
const key = process.env.API_KEY;
if (!key) {
  console.error('Set API_KEY to a workspace key (the first start of the gateway prints one).');
  process.exit(1);
}
const client = new GraphQLClient(url, { headers: { authorization: `Bearer ${key}` } });

const { upsertContact } = await client.request(UpsertFromCrm, {
  input: { externalRef: { namespace: 'crm', externalId: '42' }, firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
});
if (upsertContact.userErrors.length > 0) {
  for (const e of upsertContact.userErrors) console.error(`${e.code} at ${(e.field ?? []).join('.')}: ${e.message}`);
  process.exit(1);
}
console.log(`${upsertContact.created ? 'created' : 'updated'} ${upsertContact.contact?.displayName} (version ${upsertContact.contact?.version})`);

const { contacts } = await client.request(FirstContacts, { first: 5 });
console.log(`${contacts.totalCount} contacts; first: ${contacts.edges.map((e) => e.node.displayName).join(', ')}`);
