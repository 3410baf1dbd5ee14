import { describe, expect, it } from 'vitest';
import { K6CsvError, k6SamplesFromCsv } from './load-k6-samples.js';

// The header and row shape k6 v1.3.0 and v0.48.0 write with `--out csv` (a real run's first lines).
const HEADER = 'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata';
const row = (metric: string, value: number, scenario: string, error = ''): string =>
  `${metric},1796326397,${value.toFixed(6)},,${error},,true,,GET,GET /api/projects,HTTP/1.1,${scenario},,200,,,GET /api/projects,tenant=x,`;

describe('k6SamplesFromCsv()', () => {
  it('collects each tenant’s latencies, failures and dropped iterations from its scenario’s rows', () => {
    const csv = [
      HEADER,
      row('http_req_duration', 4.5, 'tenant_alpha'),
      row('http_req_failed', 0, 'tenant_alpha'),
      row('http_req_duration', 7.25, 'tenant_alpha'),
      row('http_req_failed', 1, 'tenant_alpha', '"request timeout, after 10s"'),
      row('http_req_waiting', 3, 'tenant_alpha'),
      row('dropped_iterations', 1, 'tenant_bravo'),
      row('dropped_iterations', 1, 'tenant_bravo'),
      row('http_req_duration', 9, 'tenant_unknown'),
      '',
    ].join('\n');
    const samples = k6SamplesFromCsv(csv, ['alpha', 'bravo'], 'run.csv');
    expect(samples.get('alpha')).toEqual({ latenciesMs: [4.5, 7.25], errors: 1, dropped: 0, unanswered: 0 });
    expect(samples.get('bravo')).toEqual({ latenciesMs: [], errors: 0, dropped: 2, unanswered: 0 });
  });

  it('fails naming the file when the CSV is not k6’s', () => {
    expect(() => k6SamplesFromCsv('a,b\n1,2', ['alpha'], 'run.csv')).toThrow(K6CsvError);
    expect(() => k6SamplesFromCsv('', ['alpha'], 'run.csv')).toThrow(/run\.csv: no "metric_name" column/);
  });
});
