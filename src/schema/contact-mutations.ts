// Contact mutations: thin resolvers that decode ids, call the domain functions
// in src/contacts/, place their error paths in the arguments and shape the
// payloads.
import { builder } from './builder.js';
import { ContactMatchKeyEnum } from './enums.js';
import { CreateContactInput, UpdateContactInput, UpsertContactInput, withDecodedCompanyIds } from './contact-inputs.js';
import { contactPayload, contactPayloadType, type ContactPayloadShape } from './payloads.js';
import { UserErrorRef } from './user-error.js';
import { idOf } from './global-id.js';
import { asArguments, atArgument } from './argument-paths.js';
import { requireWorkspace } from './guards.js';
import { upsertContact, type UpsertResult } from '../contacts/upsert.js';
import { upsertContacts } from '../contacts/upsert-batch.js';
import { changeTags, createContact, deleteContact, restoreContact, updateContact } from '../contacts/commands.js';
import { mergeContacts, MAX_MERGE_SOURCES } from '../contacts/merge.js';
import { userError, type UserError } from '../errors.js';
import type { Outcome } from '../errors.js';
import type { ContactMatchKey } from '../generated/prisma/enums.js';

const contactIdOf = (publicId: string | number) => idOf('Contact', String(publicId));
/** The contact a mutation names is its `id` argument. */
const byContactId = { contactId: ['id'] };

interface UpsertPayloadShape extends ContactPayloadShape {
  created: boolean;
  matchedBy: ContactMatchKey | null;
  skippedFields: string[];
}

const UpsertContactPayload = contactPayloadType<UpsertPayloadShape>('UpsertContactPayload', 'The result of upsertContact.', (t) => ({
  created: t.boolean({ description: 'Whether a new contact was created.', resolve: (p) => p.created }),
  matchedBy: t.field({ type: ContactMatchKeyEnum, nullable: true, description: 'The key that found the contact; null when created.', resolve: (p) => p.matchedBy }),
  skippedFields: t.stringList({
    description: 'Input fields not written because their value matched another contact ("email", "emails", "phone", "phones").',
    resolve: (p) => p.skippedFields,
  }),
  changedFields: t.stringList({
    description: 'The fields this call wrote, as the change feed names them; empty when the contact already was as given (nothing written, version kept).',
    resolve: (p) => p.stored?.changedFields ?? [],
  }),
}));

function upsertPayload(outcome: Outcome<UpsertResult>): UpsertPayloadShape {
  return outcome.ok
    ? { ...outcome.value, userErrors: [] }
    : { contactId: null, created: false, matchedBy: null, skippedFields: [], userErrors: outcome.userErrors };
}

const UpsertContactsPayload = builder.objectRef<{ results: UpsertPayloadShape[]; userErrors: UserError[] }>('UpsertContactsPayload').implement({
  description: 'The result of upsertContacts: one result per input, in order.',
  fields: (t) => ({
    results: t.field({ type: [UpsertContactPayload], description: 'One result per input, in order.', resolve: (p) => p.results }),
    userErrors: t.field({ type: [UserErrorRef], description: 'Errors of the call as a whole (e.g. LIMIT_EXCEEDED).', resolve: (p) => p.userErrors }),
  }),
});

const CreateContactPayload = contactPayloadType('CreateContactPayload', 'The result of createContact.');
const UpdateContactPayload = contactPayloadType('UpdateContactPayload', 'The result of updateContact.');
const DeleteContactPayload = contactPayloadType('DeleteContactPayload', 'The result of deleteContact.');
const RestoreContactPayload = contactPayloadType('RestoreContactPayload', 'The result of restoreContact.');
const ContactTagsPayload = contactPayloadType('ContactTagsPayload', 'The result of addContactTags and removeContactTags.');
const MergeContactsPayload = contactPayloadType('MergeContactsPayload', 'The result of mergeContacts.');

export const MAX_BULK_UPSERTS = 100;

builder.mutationFields((t) => ({
  upsertContact: t.field({
    type: UpsertContactPayload,
    description: 'Creates or updates a contact, matched by external ref or by the duplicate sequence (API.md, upsertContact).',
    args: { input: t.arg({ type: UpsertContactInput, required: true, description: 'The contact.' }) },
    resolve: async (_root, { input }, ctx) => upsertPayload(atArgument(await upsertContact(ctx.prisma, requireWorkspace(ctx), withDecodedCompanyIds(input)), ['input'])),
  }),
  upsertContacts: t.field({
    type: UpsertContactsPayload,
    description: `Upserts up to ${MAX_BULK_UPSERTS} contacts, each on its own, with the results of upserting them one after the other in order: one input's userErrors do not stop the others.`,
    args: { inputs: t.arg({ type: [UpsertContactInput], required: true, description: `At most ${MAX_BULK_UPSERTS} inputs.` }) },
    resolve: async (_root, { inputs }, ctx) => {
      const workspace = requireWorkspace(ctx);
      if (inputs.length > MAX_BULK_UPSERTS) {
        return { results: [], userErrors: [userError('LIMIT_EXCEEDED', ['inputs'], `At most ${MAX_BULK_UPSERTS} inputs per call; got ${inputs.length}.`)] };
      }
      const outcomes = await upsertContacts(ctx.prisma, workspace, inputs.map(withDecodedCompanyIds));
      return { results: outcomes.map((outcome, index) => upsertPayload(atArgument(outcome, ['inputs', String(index)]))), userErrors: [] };
    },
  }),
}));

builder.mutationFields((t) => ({
  createContact: t.field({
    type: CreateContactPayload,
    description: 'Creates a contact, always (TAKEN when one of its external refs is held by a live contact).',
    args: { input: t.arg({ type: CreateContactInput, required: true, description: 'The contact.' }) },
    resolve: async (_root, { input }, ctx) => contactPayload(atArgument(await createContact(ctx.prisma, requireWorkspace(ctx), withDecodedCompanyIds(input)), ['input'])),
  }),
  updateContact: t.field({
    type: UpdateContactPayload,
    description: 'Changes the fields given: a field left out is unchanged, a field set to null is cleared.',
    args: {
      id: t.arg.id({ required: true, description: 'The global id of the contact.' }),
      input: t.arg({ type: UpdateContactInput, required: true, description: 'The fields to change.' }),
      expectedVersion: t.arg.int({ description: 'When given and not the stored version: VERSION_CONFLICT, nothing written.' }),
    },
    resolve: async (_root, args, ctx) => {
      const outcome = await updateContact(ctx.prisma, requireWorkspace(ctx), contactIdOf(args.id), withDecodedCompanyIds(args.input), args.expectedVersion);
      return contactPayload(asArguments(outcome, { contactId: ['id'], fields: ['input'] }));
    },
  }),
  deleteContact: t.field({
    type: DeleteContactPayload,
    description: 'Soft-deletes a contact: it sets deletedAt, and the contact matches and blocks nothing until restored.',
    args: { id: t.arg.id({ required: true, description: 'The global id of the contact.' }) },
    resolve: async (_root, args, ctx) => contactPayload(asArguments(await deleteContact(ctx.prisma, requireWorkspace(ctx), contactIdOf(args.id)), byContactId)),
  }),
  restoreContact: t.field({
    type: RestoreContactPayload,
    description: 'Undoes a delete; TAKEN (writing nothing) when a live contact now holds one of its external refs.',
    args: { id: t.arg.id({ required: true, description: 'The global id of the contact.' }) },
    resolve: async (_root, args, ctx) => contactPayload(asArguments(await restoreContact(ctx.prisma, requireWorkspace(ctx), contactIdOf(args.id)), byContactId)),
  }),
}));

builder.mutationFields((t) => ({
  addContactTags: t.field({
    type: ContactTagsPayload,
    description: 'Adds tags to a contact, keeping the ones it has.',
    args: {
      id: t.arg.id({ required: true, description: 'The global id of the contact.' }),
      tags: t.arg.stringList({ required: true, description: 'Tags to add; trimmed, empty ones dropped.' }),
    },
    resolve: async (_root, args, ctx) => contactPayload(asArguments(await changeTags(ctx.prisma, requireWorkspace(ctx), contactIdOf(args.id), args.tags, 'add'), byContactId)),
  }),
  removeContactTags: t.field({
    type: ContactTagsPayload,
    description: 'Removes tags from a contact, keeping the others.',
    args: {
      id: t.arg.id({ required: true, description: 'The global id of the contact.' }),
      tags: t.arg.stringList({ required: true, description: 'Tags to remove.' }),
    },
    resolve: async (_root, args, ctx) => contactPayload(asArguments(await changeTags(ctx.prisma, requireWorkspace(ctx), contactIdOf(args.id), args.tags, 'remove'), byContactId)),
  }),
  mergeContacts: t.field({
    type: MergeContactsPayload,
    description:
      'Moves the emails, phones, external refs, tags, connections and addresses of the sources into the target, in one transaction. The sources become deleted tombstones whose ids resolve to the target.',
    args: {
      targetId: t.arg.id({ required: true, description: 'The contact that stays.' }),
      sourceIds: t.arg.idList({ required: true, description: `The contacts merged into it (at most ${MAX_MERGE_SOURCES}).` }),
    },
    resolve: async (_root, args, ctx) =>
      contactPayload(await mergeContacts(ctx.prisma, requireWorkspace(ctx), contactIdOf(args.targetId), args.sourceIds.map(contactIdOf))),
  }),
}));
