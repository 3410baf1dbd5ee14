/**
 * `tenantry-canary judge`: the command line of the gate. Parses options, loads the
 * catalog's budgets, runs the gate, prints the report and exits with the verdict.
 */
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CatalogValidationError, DEFAULT_SLO, loadCatalog } from '@tenantry/catalog';
import { LABEL_POD_TEMPLATE_HASH, LABEL_ROLE, ROLE_CANARY, ROLE_STABLE } from '@tenantry/conventions';
import { durationSeconds, eq, parseMatchers, selector, type LabelMatcher } from '@tenantry/conventions/promql';
import { GATE_DEFAULTS } from './defaults.js';
import { runGate } from './gate.js';
import type { TenantBudget, Verdict } from './judge-types.js';
import { REPORT_FORMATS, renderReport, type ReportFormat } from './report.js';
import type { MultipleTestingProcedure } from './statistics/multiple-testing.js';

const PROCEDURES: readonly MultipleTestingProcedure[] = ['holm', 'benjamini-hochberg'];

/** Exit status of each verdict; documented in --help and docs/canary.md. */
export const EXIT_CODES: Readonly<Record<Verdict | 'usage', number>> = { promote: 0, rollback: 1, continue: 2, usage: 64 };

const DEFAULT_CANARY: readonly LabelMatcher[] = [eq(LABEL_ROLE, ROLE_CANARY)];
const DEFAULT_BASELINE: readonly LabelMatcher[] = [eq(LABEL_ROLE, ROLE_STABLE)];
/** How matchers read on the command line: the braces of a selector without a metric. */
const matcherText = (m: readonly LabelMatcher[]): string => selector('', m).slice(1, -1);

export const HELP = `Usage: tenantry-canary judge [options]

Judges a canary against its baseline, tenant by tenant, from Prometheus, and exits with
the verdict. Run it once per look interval (e.g. every minute) during the window.

Options:
  --prometheus <url>          Prometheus base URL (default: $PROMETHEUS_URL or http://localhost:9090)
  --canary <matchers>         label matchers selecting the canary (default: ${matcherText(DEFAULT_CANARY)})
  --baseline <matchers>       label matchers selecting the baseline (default: ${matcherText(DEFAULT_BASELINE)})
  --canary-pod-template-hash <hash>
                              also select the canary by ${LABEL_POD_TEMPLATE_HASH}, so series
                              of an earlier canary are never read (Argo: podTemplateHashValue Latest)
  --baseline-pod-template-hash <hash>
                              the same for the baseline (Argo: podTemplateHashValue Stable)
  --window <duration>         planned length of the analysis (default: ${GATE_DEFAULTS.window})
  --since <time>              when the canary started taking traffic, by the rollout's clock,
                              RFC 3339 or unix seconds; both tracks are read from here to --end
                              (default: the canary's first data in Prometheus)
  --end <time>                end of the judged range, RFC 3339 or unix seconds (default: now);
                              judge a past release again by giving its time
  --look-interval <duration>  time between runs; window / interval looks are planned (default: ${GATE_DEFAULTS.lookInterval})
  --final                     this run is the last look (the rollout's final check): promote or
                              not now (default: final once a whole window has elapsed since --since)
  --catalog <dir>             tenant catalog with the budgets (default: $TENANTRY_CATALOG or the project's)
  --alpha <number>            false-rollback rate of the whole analysis: all looks, tenants
                              and metrics (default: ${GATE_DEFAULTS.alpha})
  --min-canary-requests <n>   canary requests a tenant needs to be judged alone; fewer and it
                              joins the long-tail group (default: ${GATE_DEFAULTS.minCanaryRequests})
  --procedure <name>          error control across tenants and metrics: holm (chance of any
                              false rollback ≤ alpha) or benjamini-hochberg (expected share
                              of false findings ≤ alpha) (default: ${GATE_DEFAULTS.procedure})
  --expected-canary-share <f> the canary's traffic weight, e.g. 0.05; a share off by more
                              than ${GATE_DEFAULTS.canaryShareTolerance * 100}% of it never promotes (default: not checked)
  --timeout <duration>        timeout of each Prometheus query (default: ${GATE_DEFAULTS.timeout})
  --format <format>           text, json or markdown (default: text)
  --summary-file <path>       also append the Markdown report to this file (e.g. $GITHUB_STEP_SUMMARY)
  --help                      show this help

Run only one gate per rollout: each run spends its look's share of alpha, so two runners
judging the same rollout (say Argo's analysis and a CI job) spend it twice.

Exit status:
  0   promote   final look, and no tenant, the long tail nor the fleet is worse than the
                baseline or over its budget
  1   rollback  a tenant, the long tail or the fleet regressed; the report names them
  2   continue  not enough evidence yet (before the final look), or data is missing:
                Prometheus unreachable, a query failed, no canary or baseline data, a
                tenant's series absent, bucket layouts that differ. Never a promotion.
  64  usage     bad options or an invalid catalog (nothing was judged)
`;

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** @default - the current time */
  readonly now?: () => Date;
}

const processIo: CliIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

class UsageError extends Error {}

function parseTime(text: string, option: string): Date {
  const seconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  const date = Number.isFinite(seconds) ? new Date(seconds * 1000) : new Date(text);
  if (Number.isNaN(date.getTime()) || (!Number.isFinite(seconds) && !/^\d{4}-\d{2}-\d{2}T/.test(text))) {
    throw new UsageError(`--${option} "${text}" is neither RFC 3339 (2026-05-01T12:00:00Z) nor unix seconds`);
  }
  return date;
}

function parseDuration(text: string, option: string): string {
  let seconds: number;
  try {
    seconds = durationSeconds(text);
  } catch {
    throw new UsageError(`--${option} "${text}" is not a Prometheus duration such as 10m or 90s`);
  }
  if (seconds <= 0) throw new UsageError(`--${option} "${text}" must be longer than zero, e.g. 10m or 90s`);
  return text;
}

function parseMatcherOption(text: string, option: string): LabelMatcher[] {
  try {
    return parseMatchers(text);
  } catch (error) {
    throw new UsageError(`--${option}: ${(error as Error).message}`);
  }
}

/** Adds the pod-template-hash matcher to a selection when a hash is given. */
function withHash(matchers: readonly LabelMatcher[], hash: string | undefined): readonly LabelMatcher[] {
  if (hash === undefined) return matchers;
  if (!/^[a-z0-9]+$/.test(hash)) throw new UsageError(`pod-template hash "${hash}" must be lowercase letters and digits, as Argo Rollouts writes it (e.g. 6d4f8c9b7)`);
  return [...matchers, eq(LABEL_POD_TEMPLATE_HASH, hash)];
}

function parseNumber(text: string, option: string, valid: (n: number) => boolean, what: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || !valid(value)) throw new UsageError(`--${option} "${text}" must be ${what}`);
  return value;
}

function budgetsFrom(directory: string | undefined): (tenant: string) => TenantBudget {
  try {
    const catalog = loadCatalog(directory !== undefined ? { directory } : {});
    const budgets = new Map(catalog.tenants.map((t) => [t.id, t.slo]));
    return (tenant) => budgets.get(tenant) ?? DEFAULT_SLO;
  } catch (error) {
    // The loader's own message, as every reader of the catalog prints it.
    if (error instanceof CatalogValidationError) throw new UsageError(error.message);
    throw new UsageError(`cannot read the catalog: ${(error as Error).message}`);
  }
}

/** Runs the CLI with these arguments (without `node` and the script); resolves to the exit status. */
export async function run(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help' || (command === 'judge' && (rest.includes('--help') || rest.includes('-h')))) {
    io.stdout(HELP);
    return 0;
  }
  try {
    if (command !== 'judge') throw new UsageError(command === undefined ? 'missing command: judge' : `unknown command "${command}": the only command is judge`);
    let values;
    try {
      ({ values } = parseArgs({
        args: [...rest],
        options: {
          prometheus: { type: 'string' },
          canary: { type: 'string' },
          baseline: { type: 'string' },
          'canary-pod-template-hash': { type: 'string' },
          'baseline-pod-template-hash': { type: 'string' },
          window: { type: 'string', default: GATE_DEFAULTS.window },
          since: { type: 'string' },
          end: { type: 'string' },
          'look-interval': { type: 'string', default: GATE_DEFAULTS.lookInterval },
          final: { type: 'boolean', default: false },
          catalog: { type: 'string' },
          alpha: { type: 'string', default: String(GATE_DEFAULTS.alpha) },
          'min-canary-requests': { type: 'string', default: String(GATE_DEFAULTS.minCanaryRequests) },
          procedure: { type: 'string', default: GATE_DEFAULTS.procedure },
          'expected-canary-share': { type: 'string' },
          timeout: { type: 'string', default: GATE_DEFAULTS.timeout },
          format: { type: 'string', default: 'text' },
          'summary-file': { type: 'string' },
        },
        strict: true,
        allowPositionals: false,
      }));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const format = values.format as ReportFormat;
    if (!REPORT_FORMATS.includes(format)) throw new UsageError(`--format "${values.format}" must be one of ${REPORT_FORMATS.join(', ')}`);
    const procedure = values.procedure as MultipleTestingProcedure;
    if (!PROCEDURES.includes(procedure)) throw new UsageError(`--procedure "${values.procedure}" must be one of ${PROCEDURES.join(', ')}`);
    const window = parseDuration(values.window, 'window');
    const lookInterval = parseDuration(values['look-interval'], 'look-interval');
    const timeout = parseDuration(values.timeout, 'timeout');
    const end = values.end !== undefined ? parseTime(values.end, 'end') : (io.now ?? (() => new Date()))();
    const since = values.since !== undefined ? parseTime(values.since, 'since') : undefined;
    if (since !== undefined && since.getTime() >= end.getTime()) {
      throw new UsageError(`--since ${since.toISOString()} is not before the end of the range ${end.toISOString()}: give the time the canary started taking traffic`);
    }
    const report = await runGate({
      prometheusUrl: values.prometheus ?? process.env['PROMETHEUS_URL'] ?? 'http://localhost:9090',
      canary: withHash(values.canary !== undefined ? parseMatcherOption(values.canary, 'canary') : DEFAULT_CANARY, values['canary-pod-template-hash']),
      baseline: withHash(values.baseline !== undefined ? parseMatcherOption(values.baseline, 'baseline') : DEFAULT_BASELINE, values['baseline-pod-template-hash']),
      window,
      lookInterval,
      end,
      ...(since !== undefined ? { since } : {}),
      final: values.final,
      budgetOf: budgetsFrom(values.catalog),
      alpha: parseNumber(values.alpha, 'alpha', (n) => n > 0 && n < 0.5, 'a number between 0 and 0.5'),
      minCanaryRequests: parseNumber(values['min-canary-requests'], 'min-canary-requests', (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1'),
      timeoutMs: durationSeconds(timeout) * 1000,
      procedure,
      ...(values['expected-canary-share'] !== undefined
        ? { expectedCanaryShare: parseNumber(values['expected-canary-share'], 'expected-canary-share', (n) => n > 0 && n < 1, 'a fraction between 0 and 1') }
        : {}),
    });
    io.stdout(renderReport(report, format));
    if (values['summary-file'] !== undefined) appendFileSync(values['summary-file'], renderReport(report, 'markdown'));
    return EXIT_CODES[report.judgement.verdict];
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`tenantry-canary: ${error.message}\nRun "tenantry-canary judge --help" for the options.\n`);
    return EXIT_CODES.usage;
  }
}
