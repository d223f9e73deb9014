// search reads the contact's search columns (names and emails; phones), which
// triggers keep: every writer of a name, an email or a phone must leave search
// answering as if it read the rows themselves.
import { describe, expect, it } from 'vitest';
import { dataOf, useTestWorkspace } from '../support/gateway.js';
import { create, update, upsert } from '../support/contacts.js';

const { ws } = useTestWorkspace();

async function found(search: string): Promise<string[]> {
  const data = dataOf(await ws.gql('query($s: String!) { contacts(first: 50, filter: { search: $s }) { edges { node { id } } } }', { s: search }));
  return data.contacts.edges.map((e: { node: { id: string } }) => e.node.id).sort();
}

describe('search follows every write of names, emails and phones', () => {
  it('finds a new contact by name, by any email and by phone, exactly or by its ending', async () => {
    const { contact } = await create(ws, { firstName: 'Quentin', lastName: 'Zorro', emails: [{ address: 'qz@one.test' }, { address: 'second@two.test' }], phones: [{ number: '+14155550123' }] });
    for (const text of ['quent', 'ZORR', 'one.test', 'SECOND@', '+1 415 555 0123', '4155550123']) expect(await found(text), text).toEqual([contact.id]);
    // No match spans two values: the end of the first name with the start of the last.
    expect(await found('ntinzor')).toEqual([]);
    expect(await found('quentin zorro')).toEqual([]);
  });

  it('forgets replaced emails and phones and learns the new ones (update, upsert)', async () => {
    const { contact } = await create(ws, { firstName: 'Wilma', emails: [{ address: 'old-wilma@x.test' }], phones: [{ number: '+14155550177' }] });
    await update(ws, contact.id, { emails: [{ address: 'new-wilma@x.test' }], phones: [{ number: '+14155550188' }], firstName: 'Wilhelmina' });
    expect(await found('old-wilma')).toEqual([]);
    expect(await found('new-wilma')).toEqual([contact.id]);
    expect(await found('+14155550177')).toEqual([]);
    expect(await found('+14155550188')).toEqual([contact.id]);
    expect(await found('helmina')).toEqual([contact.id]);
    const upserted = await upsert(ws, { email: 'new-wilma@x.test', phone: '+14155550199', lastName: 'Flintstone' });
    expect(upserted.contact.id).toBe(contact.id);
    expect(await found('flintst')).toEqual([contact.id]);
    expect(await found('+1 415 555 0199')).toEqual([contact.id]);
  });

  it('moves with a merge: the target is found by the source emails, the source no longer', async () => {
    const target = (await create(ws, { firstName: 'Target', emails: [{ address: 'target-only@m.test' }] })).contact;
    const source = (await create(ws, { firstName: 'Source', emails: [{ address: 'source-moved@m.test' }], phones: [{ number: '+14155550155' }] })).contact;
    const merged = dataOf(
      await ws.gql('mutation($t: ID!, $s: [ID!]!) { mergeContacts(targetId: $t, sourceIds: $s) { contact { id } userErrors { code } } }', { t: target.id, s: [source.id] }),
    ).mergeContacts;
    expect(merged.userErrors).toEqual([]);
    expect(await found('source-moved')).toEqual([target.id]);
    expect(await found('4155550155')).toEqual([target.id]);
  });

  it('drops a removed email and phone', async () => {
    const { contact } = await create(ws, { firstName: 'Remy', email: 'remy@gone.test', phone: '+14155550166' });
    await update(ws, contact.id, { email: null, phone: null });
    expect(await found('remy@gone')).toEqual([]);
    expect(await found('+14155550166')).toEqual([]);
    expect(await found('remy')).toEqual([contact.id]);
  });
});
