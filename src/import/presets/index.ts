// The presets: one mapping module per source system, each taking that
// system's records as its API documents them (docs/import.md).
import { squash } from '../values.js';
import type { PresetRecord } from './fields.js';
import { mapGhl } from './ghl.js';
import { mapInvestorCrm } from './investor-crm.js';
import { mapUnifiedCrm } from './unified-crm.js';
import { mapVoip } from './voip.js';

export type PresetName = 'investor-crm' | 'unified-crm' | 'voip' | 'ghl';

export const PRESETS: Record<PresetName, (record: Record<string, unknown>) => PresetRecord> = {
  'investor-crm': mapInvestorCrm,
  'unified-crm': mapUnifiedCrm,
  voip: mapVoip,
  ghl: mapGhl,
};

export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/** Keys only one system's records have, in the order they are tried. */
const TELLING_KEYS: [PresetName, string[]][] = [
  ['unified-crm', ['emailAddresses', 'remoteId', 'remoteFields', 'remoteWasDeleted', 'account']],
  ['voip', ['first_name', 'last_name', 'job_title', 'external_id', 'phone_numbers']],
  ['ghl', ['dndSettings', 'dnd', 'companyName', 'address1', 'locationId', 'postalCode', 'timezone']],
  ['investor-crm', ['connections', 'firstName', 'lastName', 'emails', 'phones', 'strategy', 'linkedInUrl']],
];

/** The preset whose records look like this one; null when none does. */
export function guessPreset(record: Record<string, unknown>): PresetName | null {
  const keys = new Set(Object.keys(record));
  const squashed = new Set(Object.keys(record).map(squash));
  for (const [preset, telling] of TELLING_KEYS) {
    // snake_case keys tell voip only when written that way.
    const has = preset === 'voip' ? telling.some((k) => keys.has(k) || Object.keys(record).some((r) => r.startsWith('tm_'))) : telling.some((k) => squashed.has(squash(k)));
    if (has) return preset;
  }
  return null;
}
