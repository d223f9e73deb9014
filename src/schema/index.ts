// Imports every type of the GraphQL surface and builds the schema.
import { builder } from './builder.js';
import './enums.js';
import './user-error.js';
import './contact.js';
import './company.js';
import './workspace.js';
import './admin.js';
import './contact-queries.js';
import './company-contacts.js';
import './node.js';
import './contact-mutations.js';
import './company-mutations.js';
import './contact-change.js';

export const schema = builder.toSchema({ sortSchema: true });
