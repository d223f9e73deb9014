// GraphQL operations of the write contract, as a client would send them.
import { dataOf, type TestWorkspace } from './gateway.js';

export const CONTACT_FIELDS = `
  id firstName lastName displayName email phone
  emails { address type primary }
  phones { number e164 type primary country }
  connections { company { id name } jobTitle primary }
  externalRefs { namespace externalId }
  addresses { type street1 street2 city state countrySubdivision country postalCode }
  tags primaryLanguage strategy linkedInUrl blocked profilePictureId customFields source version deletedAt
`;

const USER_ERRORS = 'userErrors { code field message }';

export async function upsert(ws: TestWorkspace, input: Record<string, unknown>) {
  const response = await ws.gql(
    `mutation($input: UpsertContactInput!) { upsertContact(input: $input) { contact { ${CONTACT_FIELDS} } created matchedBy skippedFields ${USER_ERRORS} } }`,
    { input },
  );
  return dataOf(response).upsertContact;
}

export async function create(ws: TestWorkspace, input: Record<string, unknown>) {
  const response = await ws.gql(`mutation($input: CreateContactInput!) { createContact(input: $input) { contact { ${CONTACT_FIELDS} } ${USER_ERRORS} } }`, { input });
  return dataOf(response).createContact;
}

export async function update(ws: TestWorkspace, id: string, input: Record<string, unknown>, expectedVersion?: number) {
  const response = await ws.gql(
    `mutation($id: ID!, $input: UpdateContactInput!, $v: Int) { updateContact(id: $id, input: $input, expectedVersion: $v) { contact { ${CONTACT_FIELDS} } ${USER_ERRORS} } }`,
    { id, input, v: expectedVersion },
  );
  return dataOf(response).updateContact;
}

export async function mutateById(ws: TestWorkspace, mutation: 'deleteContact' | 'restoreContact', id: string) {
  const response = await ws.gql(`mutation($id: ID!) { ${mutation}(id: $id) { contact { ${CONTACT_FIELDS} } ${USER_ERRORS} } }`, { id });
  return dataOf(response)[mutation];
}

export async function changeTags(ws: TestWorkspace, mutation: 'addContactTags' | 'removeContactTags', id: string, tags: string[]) {
  const response = await ws.gql(`mutation($id: ID!, $tags: [String!]!) { ${mutation}(id: $id, tags: $tags) { contact { ${CONTACT_FIELDS} } ${USER_ERRORS} } }`, { id, tags });
  return dataOf(response)[mutation];
}

export async function getContact(ws: TestWorkspace, id: string) {
  return dataOf(await ws.gql(`query($id: ID!) { contact(id: $id) { ${CONTACT_FIELDS} } }`, { id })).contact;
}

export async function createCompany(ws: TestWorkspace, name: string, domain?: string): Promise<string> {
  const payload = dataOf(
    await ws.gql(`mutation($input: CreateCompanyInput!) { createCompany(input: $input) { company { id } ${USER_ERRORS} } }`, { input: { name, domain } }),
  ).createCompany;
  if (payload.userErrors.length > 0) throw new Error(JSON.stringify(payload.userErrors));
  return payload.company.id;
}

export async function settings(ws: TestWorkspace, input: Record<string, unknown>) {
  return dataOf(
    await ws.gql(
      `mutation($input: WorkspaceSettingsInput!) { updateWorkspaceSettings(input: $input) { workspace { id name duplicateMatching defaultCountry } ${USER_ERRORS} } }`,
      { input },
    ),
  ).updateWorkspaceSettings;
}

/** How many contacts (live and deleted) the workspace has in the store. */
export async function contactCount(prisma: { contact: { count(args: object): Promise<number> } }, workspaceId: string) {
  return prisma.contact.count({ where: { workspaceId } });
}
