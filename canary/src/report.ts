/**
 * Renders a gate report as text (terminal), JSON (machines, Argo logs) or Markdown (a
 * CI job summary): the verdict, why, and one row per tenant and pooled group.
 */
import type { GateReport } from './gate.js';
import type { GroupResult, TrackSummary } from './judge-types.js';

export const REPORT_FORMATS = ['text', 'json', 'markdown'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function renderReport(report: GateReport, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'markdown':
      return renderMarkdown(report);
    case 'text':
      return renderText(report);
  }
}

interface Row {
  readonly group: string;
  readonly requests: string;
  readonly p95: string;
  readonly errors: string;
  readonly budget: string;
  readonly finding: string;
}

function pair(canary: string, baseline: string): string {
  return `${canary} / ${baseline}`;
}

function ms(seconds: number | undefined): string {
  return seconds === undefined ? '–' : `${Math.round(seconds * 1000)} ms`;
}

function rate(value: number | undefined): string {
  return value === undefined ? '–' : `${(value * 100).toFixed(2)}%`;
}

function label(g: GroupResult): string {
  if (g.kind === 'tenant') return g.id;
  if (g.kind === 'fleet') return `(fleet: all ${g.tenants.length} tenants)`;
  return `(long tail: ${g.tenants.length} tenants pooled)`;
}

function rowOf(g: GroupResult): Row {
  const track = (f: (t: TrackSummary) => string): string => pair(f(g.canary), f(g.baseline));
  return {
    group: label(g),
    requests: track((t) => String(t.requests)),
    p95: track((t) => ms(t.p95Seconds)),
    errors: track((t) => rate(t.errorRate)),
    budget: g.budget ? `p95 ≤ ${g.budget.p95LatencyMs} ms, errors ≤ ${rate(g.budget.errorRate)}` : g.kind === 'long-tail' ? 'each tenant’s own' : 'vs baseline only',
    finding: `${g.finding}: ${g.detail}`,
  };
}

/** Regressions first, then tenants by canary traffic, pooled groups last. */
function orderedGroups(report: GateReport): GroupResult[] {
  const rank = (g: GroupResult): number => (g.finding === 'regression' ? 0 : g.kind === 'tenant' ? 1 : 2);
  return [...report.judgement.groups].sort((a, b) => rank(a) - rank(b) || b.canary.requests - a.canary.requests);
}

const HEADERS: Row = {
  group: 'tenant',
  requests: 'requests canary / baseline',
  p95: 'p95 canary / baseline',
  errors: 'error rate canary / baseline',
  budget: 'budget',
  finding: 'finding',
};

function heading(report: GateReport): string {
  const { judgement, context } = report;
  return `Canary gate: ${judgement.verdict.toUpperCase()} (look ${judgement.look.index}/${judgement.look.count}, both tracks over ${context.range} ending ${context.end} of a ${context.window} analysis, α = ${judgement.alpha})`;
}

function renderText(report: GateReport): string {
  const rows = [HEADERS, ...orderedGroups(report).map(rowOf)];
  const keys: (keyof Row)[] = ['group', 'requests', 'p95', 'errors', 'budget'];
  const widths = keys.map((k) => Math.max(...rows.map((r) => r[k].length)));
  const lines = [heading(report), ...report.judgement.reasons.map((r) => `  ${r}`), ''];
  if (report.judgement.groups.length > 0) {
    for (const r of rows) lines.push([...keys.map((k, i) => r[k].padEnd(widths[i]!)), r.finding].join('  ').trimEnd());
    lines.push('');
  }
  lines.push(`Prometheus ${report.context.prometheus}; canary data since ${report.context.canaryStartedAt ?? 'never'}`);
  return `${lines.join('\n')}\n`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function renderMarkdown(report: GateReport): string {
  const icon = { promote: '✅', rollback: '❌', continue: '⏳' }[report.judgement.verdict];
  const lines = [`### ${icon} ${heading(report)}`, '', ...report.judgement.reasons.map((r) => `- ${escapeCell(r)}`), ''];
  if (report.judgement.groups.length > 0) {
    const keys: (keyof Row)[] = ['group', 'requests', 'p95', 'errors', 'budget', 'finding'];
    lines.push(`| ${keys.map((k) => HEADERS[k]).join(' | ')} |`, `|${keys.map(() => ' --- ').join('|')}|`);
    for (const g of orderedGroups(report)) {
      const r = rowOf(g);
      lines.push(`| ${keys.map((k) => escapeCell(k === 'finding' && g.finding === 'regression' ? `**${r[k]}**` : r[k])).join(' | ')} |`);
    }
    const tail = report.judgement.groups.find((g) => g.kind === 'long-tail');
    if (tail) lines.push('', `<details><summary>Long tail: ${tail.tenants.length} tenants pooled</summary>\n\n${tail.tenants.join(', ')}\n\n</details>`);
  }
  lines.push('', `<sub>Prometheus ${report.context.prometheus}; canary data since ${report.context.canaryStartedAt ?? 'never'}.</sub>`);
  return `${lines.join('\n')}\n`;
}
