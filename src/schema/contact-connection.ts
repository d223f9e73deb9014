// ContactConnection: a page of contacts, for contacts and Company.contacts.
import { builder } from './builder.js';
import { ContactRef } from './contact.js';

export const ContactConnection = builder.connectionObject(
  {
    type: ContactRef,
    name: 'ContactConnection',
    description: 'A page of contacts.',
    fields: (t) => ({
      totalCount: t.int({
        description: 'How many contacts the connection holds across all pages.',
        resolve: (connection) => {
          const { totalCount } = connection as { totalCount?: number | (() => number | Promise<number>) };
          return typeof totalCount === 'function' ? totalCount() : (totalCount ?? 0);
        },
      }),
    }),
  },
  { name: 'ContactEdge', description: 'A contact and its cursor.' },
);
