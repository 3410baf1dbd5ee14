/**
 * What `handleSummary` writes: the raw k6 summary as JSON, a small verdict JSON, a
 * Markdown report for a CI step summary, JUnit XML, and the Markdown again on stdout. Pure, so a summary object of the same shape
 * object can be rendered in a test.
 */
import type { TenantsFile } from '../tenants-file.js';
import { renderJUnit } from './junit.js';
import { describeAbort, runAbort, type RunAbort, type RunPlan } from './run-abort.js';
import { thresholdOutcomes, type SummaryData, type ThresholdOutcome } from './summary-data.js';
import { passed, tenantRowsFromSummary, type TenantRow } from './tenant-rows.js';
import { renderTenantTable } from './tenant-table.js';

export const SUMMARY_JSON = 'loadtest-summary.json';
export const SUMMARY_MARKDOWN = 'loadtest-summary.md';
export const SUMMARY_JUNIT = 'loadtest-junit.xml';
export const SUMMARY_VERDICT = 'loadtest-verdict.json';

/** The decision in one small JSON document, for machines: verdict, failing tenants, rows, crossed thresholds. */
export interface LoadTestVerdict {
  readonly profile: string;
  readonly environment: string;
  /** True when no threshold was crossed (k6 then exits 0). */
  readonly passed: boolean;
  /**
   * Tenants over a latency or error budget, or short of requests. In an aborted run a
   * shortfall of requests alone does not put a tenant here: the run was cut, not the tenant.
   */
  readonly failingTenants: readonly string[];
  /** Set when the run stopped before its duration, naming the thresholds and tenants that stopped it. */
  readonly aborted: RunAbort | null;
  readonly tenants: readonly TenantRow[];
  readonly crossedThresholds: readonly ThresholdOutcome[];
}

export interface SummaryFilesProps {
  readonly data: SummaryData;
  readonly file: TenantsFile;
  /** Profile name, shown in the report title. */
  readonly profile: string;
  /** Directory the files go to (relative to where k6 runs). @default '.' */
  readonly directory?: string;
  /** The run's planned duration and thresholds, to tell an aborted run from a full one. */
  readonly plan: RunPlan;
}

/** Prefix of a row's request-rate failure (see tenant-rows.ts). */
const REQUESTS_FAILURE = 'requests';

/** The verdict of a run from its summary (thresholds' `ok`, never the inverted `--summary-export` booleans). */
export function loadTestVerdict(data: SummaryData, file: TenantsFile, profile: string, plan?: RunPlan): LoadTestVerdict {
  const rows = tenantRowsFromSummary(data, file.tenants, file.tenantTag);
  const crossed = thresholdOutcomes(data).filter((o) => !o.ok);
  const aborted = plan ? runAbort(data, plan, crossed, file.tenantTag) : undefined;
  const overBudget = (row: TenantRow): boolean => (aborted ? row.failures.some((f) => !f.startsWith(REQUESTS_FAILURE)) : !passed(row));
  return {
    profile,
    environment: file.environment,
    passed: crossed.length === 0,
    failingTenants: rows.filter(overBudget).map((r) => r.tenant),
    aborted: aborted ?? null,
    tenants: rows,
    crossedThresholds: crossed,
  };
}

/** The Markdown report: verdict, per-tenant table, and every failed threshold. */
export function renderMarkdownReport(data: SummaryData, file: TenantsFile, profile: string, plan?: RunPlan): string {
  const { tenants: rows, crossedThresholds: failed, failingTenants, aborted } = loadTestVerdict(data, file, profile, plan);
  const verdict =
    failed.length === 0
      ? `**PASS**: every threshold held for ${rows.length} tenant(s).`
      : `**FAIL**: ${failed.length} threshold(s) crossed` + (failingTenants.length > 0 ? `; tenants over budget: ${failingTenants.join(', ')}.` : '.');
  const lines = [`## Load test (${profile}, ${file.environment})`, '', ...(aborted ? [describeAbort(aborted), ''] : []), verdict, '', renderTenantTable(rows)];
  if (failed.length > 0) {
    lines.push('', 'Crossed thresholds:', '');
    for (const o of failed) lines.push(`- \`${o.metric}\` \`${o.expression}\`${o.observed === undefined ? '' : `: observed ${Math.round(o.observed * 1000) / 1000}`}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The `handleSummary` return value: output path (or `stdout`) → content. */
export function summaryFiles(props: SummaryFilesProps): Record<string, string> {
  const directory = (props.directory ?? '.').replace(/\/+$/, '');
  const markdown = renderMarkdownReport(props.data, props.file, props.profile, props.plan);
  const durationSeconds = (props.data.state?.testRunDurationMs ?? 0) / 1000;
  return {
    stdout: `\n${markdown}`,
    [`${directory}/${SUMMARY_JSON}`]: JSON.stringify(props.data, null, 2),
    [`${directory}/${SUMMARY_MARKDOWN}`]: markdown,
    [`${directory}/${SUMMARY_JUNIT}`]: renderJUnit(thresholdOutcomes(props.data), durationSeconds, props.file.tenantTag),
    [`${directory}/${SUMMARY_VERDICT}`]: JSON.stringify(loadTestVerdict(props.data, props.file, props.profile, props.plan), null, 2),
  };
}
