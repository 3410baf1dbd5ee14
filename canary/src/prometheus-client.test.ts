/**
 * The Prometheus client and the gate's fail-safe paths against a real Prometheus (no
 * scrape targets, so it holds no request metrics), plus a server that never answers.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SLO } from '@tenantry/catalog';
import { eq, re } from '@tenantry/conventions/promql';
import { startPrometheus, type PrometheusServer } from '../../testing/prometheus.js';
import { runGate, type GateProps } from './gate.js';
import { PrometheusClient, PrometheusError } from './prometheus-client.js';

describe('PrometheusClient and the gate against a real, empty Prometheus', () => {
  let prometheus: PrometheusServer;
  beforeAll(async () => {
    prometheus = await startPrometheus({ scrapeTargets: [] });
  });
  afterAll(async () => {
    await prometheus?.stop();
  });

  const gate = (overrides: Partial<GateProps> = {}): Promise<Awaited<ReturnType<typeof runGate>>> =>
    runGate({
      prometheusUrl: prometheus.url,
      canary: [eq('role', 'canary')],
      baseline: [eq('role', 'stable')],
      window: '1m',
      end: new Date(),
      budgetOf: () => DEFAULT_SLO,
      ...overrides,
    });

  it('evaluates an instant query at the given time', async () => {
    const client = new PrometheusClient({ url: `${prometheus.url}/` });
    const at = new Date();
    const [sample] = await client.query('time()', at);
    expect(sample!.value).toBeCloseTo(at.getTime() / 1000, 2);
    expect(await client.query('vector(2) * 3', at)).toEqual([{ labels: {}, value: 6 }]);
  });

  it('throws a query error with Prometheus’ own message for bad PromQL', async () => {
    const client = new PrometheusClient({ url: prometheus.url });
    const error = await client.query('sum by (', new Date()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrometheusError);
    expect((error as PrometheusError).failure).toBe('query-error');
    expect((error as PrometheusError).message).toMatch(/Prometheus rejected the query \(bad_data: .*\): sum by \(/);
  });

  it('does not promote when a query fails, and says which query and why', async () => {
    const { judgement } = await gate({ canary: [re('role', '(')] });
    expect(judgement.verdict).toBe('continue');
    expect(judgement.missing[0]).toMatch(/Prometheus rejected the query .*role=~"\("/);
  });

  it('does not promote when there is no canary data, and names the selectors and window it searched', async () => {
    const { judgement } = await gate();
    expect(judgement.verdict).toBe('continue');
    expect(judgement.missing).toEqual(['no requests from the canary in the window', 'no requests from the baseline in the window']);
    expect(judgement.reasons.join(' ')).toMatch(/Looked for: http_server_request_duration_count\{role="canary"\} and http_server_request_duration_count\{role="stable"\} over 1m ending/);
  });
});

describe('PrometheusClient against a server that never answers', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer(() => {
      // Accepts the request and never responds.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('gives up after its timeout and reports the server as unreachable', async () => {
    const error = await new PrometheusClient({ url, timeoutMs: 300 }).query('up', new Date()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrometheusError);
    expect((error as PrometheusError).failure).toBe('unreachable');
    expect((error as PrometheusError).message).toMatch(new RegExp(`Prometheus at ${url} is unreachable`));
  });
});
