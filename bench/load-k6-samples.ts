/**
 * Every request k6 timed, read back from its CSV output (`k6 run --out csv=<file>`), per
 * tenant: the bench pools several short k6 runs of one rate, and percentiles cannot be
 * pooled, only raw latencies can. The tenant is the one of the row's scenario
 * (`tenant_<id>`, loadtests/src/scenarios.ts), which also names the tenant of a dropped
 * iteration.
 */
import type { TenantSamples } from '../loadtests/driver/latency-recorder.js';
import { scenarioName } from '../loadtests/src/scenarios.js';

export interface K6TenantSamples extends TenantSamples {
  /** Iterations k6 could not start because every VU of the tenant's scenario was busy (`dropped_iterations`). */
  readonly dropped: number;
}

/** Thrown for a CSV that is not k6's, naming the file and what is missing. */
export class K6CsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'K6CsvError';
  }
}

/** Per tenant id (in the order of `tenantIds`): latencies of `http_req_duration`, failures of `http_req_failed`, `dropped_iterations`. */
export function k6SamplesFromCsv(csv: string, tenantIds: readonly string[], source: string): Map<string, K6TenantSamples> {
  const lines = csv.split('\n');
  const header = splitCsvLine(lines[0] ?? '');
  const column = (name: string): number => {
    const index = header.indexOf(name);
    if (index < 0) throw new K6CsvError(`${source}: no "${name}" column in the header (${header.join(',') || 'empty file'}): is this k6's --out csv output?`);
    return index;
  };
  const [metricColumn, valueColumn, scenarioColumn] = [column('metric_name'), column('metric_value'), column('scenario')];
  const tenantByScenario = new Map(tenantIds.map((id) => [scenarioName(id), id]));
  const collected = new Map(tenantIds.map((id) => [id, { latenciesMs: [] as number[], errors: 0, dropped: 0 }]));
  for (const line of lines.slice(1)) {
    if (line === '') continue;
    const fields = splitCsvLine(line);
    const metric = fields[metricColumn];
    if (metric !== 'http_req_duration' && metric !== 'http_req_failed' && metric !== 'dropped_iterations') continue;
    const tenant = tenantByScenario.get(fields[scenarioColumn] ?? '');
    const into = tenant === undefined ? undefined : collected.get(tenant);
    if (!into) continue;
    const value = Number(fields[valueColumn]);
    if (metric === 'http_req_duration') into.latenciesMs.push(value);
    else if (metric === 'http_req_failed') into.errors += value;
    else into.dropped += value;
  }
  // k6 times every request it sent, timeouts included, so nothing is unanswered here.
  return new Map([...collected].map(([id, s]) => [id, { ...s, unanswered: 0 }]));
}

/** Fields of one CSV line (RFC 4180 quoting: k6's error messages may hold commas). */
function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}
