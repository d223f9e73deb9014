// The growth benchmark's result (bench/growth.ts) and its Markdown: the
// latency table with the large/small ratios, then every plan.

export interface Latency {
  medianMs: number;
  p95Ms: number;
}

export interface ExplainedStatement {
  sql: string;
  /** EXPLAIN (ANALYZE, BUFFERS) for the read's parameters and for any (bench/growth-reads.ts, Plans). */
  plan: { custom: string[]; generic: string[] };
}

export interface ReadResult {
  id: string;
  title: string;
  small: Latency;
  large: Latency;
  plans: { small: ExplainedStatement[]; large: ExplainedStatement[] };
}

export interface GrowthResult {
  date: string;
  machine: { cpu: string; cores: number; node: string; postgres: string; platform: string };
  config: Record<string, unknown>;
  reads: ReadResult[];
}

/** The bound a read must stay within: large over small. */
export const GROWTH_BOUND = 1.2;

const ms = (n: number) => n.toFixed(2);
const x = (n: number) => `${n.toFixed(2)}×`;

export function renderGrowth(run: GrowthResult): string {
  const c = run.config as { small: number; large: number; others: number; otherSize: number; reps: number; warmup: number; pin: boolean };
  const m = run.machine;
  const lines = [
    '# Growth benchmark results',
    '',
    'Written by `npm run bench:growth` (bench/growth.ts).',
    '',
    `${run.date} · ${m.cpu}, ${m.cores} cores · Node ${m.node} · PostgreSQL ${m.postgres} · ${m.platform}`,
    '',
    `Small workspace ${c.small} contacts, large ${c.large}, beside ${c.others} of ${c.otherSize} · ` +
      `${c.reps} requests per read and workspace after ${c.warmup} of warm-up, small and large alternating, one at a time · ` +
      `server ${c.pin ? 'pinned to core 0' : 'not pinned'}`,
    '',
    `| read | small median ms | large median ms | median large/small | small p95 ms | large p95 ms | p95 large/small | within ${GROWTH_BOUND}× |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of run.reads) {
    const median = r.large.medianMs / r.small.medianMs;
    const p95 = r.large.p95Ms / r.small.p95Ms;
    lines.push(
      `| ${r.id} | ${ms(r.small.medianMs)} | ${ms(r.large.medianMs)} | ${x(median)} | ${ms(r.small.p95Ms)} | ${ms(r.large.p95Ms)} | ${x(p95)} | ${median <= GROWTH_BOUND ? 'yes' : '**no**'} |`,
    );
  }
  lines.push('', ...run.reads.map((r) => `- **${r.id}**: ${r.title}`), '', '## Plans', '');
  for (const r of run.reads) {
    for (const size of ['small', 'large'] as const) {
      lines.push(`### ${r.id}, ${size} workspace`, '');
      for (const s of r.plans[size]) {
        lines.push('```sql', s.sql, '```', '', 'Custom plan (for these parameters):', '', '```', ...s.plan.custom, '```', '');
        lines.push('Generic plan (for any parameters):', '', '```', ...s.plan.generic, '```', '');
      }
    }
  }
  return lines.join('\n');
}
