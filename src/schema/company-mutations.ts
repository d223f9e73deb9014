// Company mutations and workspace settings.
import { builder } from './builder.js';
import { CompanyRef } from './company.js';
import { ContactMatchKeyEnum } from './enums.js';
import { UserErrorRef } from './user-error.js';
import { WorkspaceRef } from './workspace.js';
import { idOf } from './global-id.js';
import { asArguments, atArgument } from './argument-paths.js';
import { requireWorkspace } from './guards.js';
import { createCompany, updateCompany } from '../companies/companies.js';
import { updateWorkspaceSettings } from '../workspaces/settings.js';
import type { UserError } from '../errors.js';
import type { Outcome } from '../errors.js';
import type { Workspace } from '../generated/prisma/client.js';

const CreateCompanyInput = builder.inputType('CreateCompanyInput', {
  description: 'A company to create.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'The company name (≤200 characters).' }),
    domain: t.string({ description: 'Its web domain; stored lowercase without scheme or "www." (e.g. "acme.com").' }),
  }),
});

const UpdateCompanyInput = builder.inputType('UpdateCompanyInput', {
  description: 'A partial update of a company: a field left out is unchanged.',
  fields: (t) => ({
    name: t.string({ description: 'The company name (≤200 characters); cannot be cleared.' }),
    domain: t.string({ description: 'Its web domain; null clears it.' }),
  }),
});

type CompanyPayloadShape = { companyId: string | null; userErrors: UserError[] };

const companyPayload = (outcome: Outcome<string>): CompanyPayloadShape =>
  outcome.ok ? { companyId: outcome.value, userErrors: [] } : { companyId: null, userErrors: outcome.userErrors };

function companyPayloadType(name: string, description: string) {
  return builder.objectRef<CompanyPayloadShape>(name).implement({
    description,
    fields: (t) => ({
      company: t.prismaField({
        type: CompanyRef,
        nullable: true,
        description: 'The company as it is now; null when userErrors is not empty.',
        resolve: (query, p, _a, ctx) => (p.companyId === null ? null : ctx.prisma.company.findUnique({ ...query, where: { id: p.companyId } })),
      }),
      userErrors: t.field({ type: [UserErrorRef], description: 'Why nothing was written; empty on success.', resolve: (p) => p.userErrors }),
    }),
  });
}

const CreateCompanyPayload = companyPayloadType('CreateCompanyPayload', 'The result of createCompany.');
const UpdateCompanyPayload = companyPayloadType('UpdateCompanyPayload', 'The result of updateCompany.');

const WorkspaceSettingsInput = builder.inputType('WorkspaceSettingsInput', {
  description: 'Settings of the workspace; a field left out is unchanged.',
  fields: (t) => ({
    duplicateMatching: t.field({ type: [ContactMatchKeyEnum], description: 'The keys upserts match by, in order (EMAIL, PHONE); null restores [EMAIL, PHONE].' }),
    defaultCountry: t.string({ description: 'ISO 3166-1 alpha-2 country for numbers without "+"; null unsets it.' }),
  }),
});

const UpdateWorkspaceSettingsPayload = builder
  .objectRef<{ workspace: Workspace | null; userErrors: UserError[] }>('UpdateWorkspaceSettingsPayload')
  .implement({
    description: 'The result of updateWorkspaceSettings.',
    fields: (t) => ({
      workspace: t.field({ type: WorkspaceRef, nullable: true, description: 'The workspace as it is now.', resolve: (p) => p.workspace }),
      userErrors: t.field({ type: [UserErrorRef], description: 'Why nothing was written; empty on success.', resolve: (p) => p.userErrors }),
    }),
  });

builder.mutationFields((t) => ({
  createCompany: t.field({
    type: CreateCompanyPayload,
    description: 'Creates a company. Names are unique per workspace, compared case-insensitively after trimming: a name the workspace has is TAKEN.',
    args: { input: t.arg({ type: CreateCompanyInput, required: true, description: 'The company.' }) },
    resolve: async (_root, { input }, ctx) => companyPayload(atArgument(await createCompany(ctx.prisma, requireWorkspace(ctx).id, input), ['input'])),
  }),
  updateCompany: t.field({
    type: UpdateCompanyPayload,
    description: "Changes the fields given of a company; a name another of the workspace's companies has is TAKEN.",
    args: {
      id: t.arg.id({ required: true, description: 'The global id of the company.' }),
      input: t.arg({ type: UpdateCompanyInput, required: true, description: 'The fields to change.' }),
    },
    resolve: async (_root, args, ctx) => {
      const outcome = await updateCompany(ctx.prisma, requireWorkspace(ctx).id, idOf('Company', String(args.id)), args.input);
      return companyPayload(asArguments(outcome, { companyId: ['id'], fields: ['input'] }));
    },
  }),
  updateWorkspaceSettings: t.field({
    type: UpdateWorkspaceSettingsPayload,
    description: "Changes the settings of the caller's workspace.",
    args: { input: t.arg({ type: WorkspaceSettingsInput, required: true, description: 'The settings to change.' }) },
    resolve: async (_root, { input }, ctx) => {
      const workspace = requireWorkspace(ctx);
      const outcome = atArgument(await updateWorkspaceSettings(ctx.prisma, workspace, input), ['input']);
      // This process' next request of the workspace reads the new settings (auth/key-cache.ts).
      if (outcome.ok) ctx.apiKeys.forgetWorkspace(workspace.id);
      return outcome.ok ? { workspace: outcome.value, userErrors: [] } : { workspace: null, userErrors: outcome.userErrors };
    },
  }),
}));
