/**
 * The local load driver: the k6 script's traffic (same tenants file, same weighted mix,
 * same Host headers) sent with autocannon, for machines where k6 cannot be installed and
 * for end-to-end tests that need realistic per-tenant traffic.
 *
 * autocannon paces each connection per second: a connection with rate r sends r requests
 * back to back at the start of each second. Sent through one instance, a whole second's
 * requests would arrive as one burst. The driver therefore runs several "lanes", each an
 * autocannon instance started a fraction of a second after the previous one, so that
 * requests arrive spread over the second (an open model, approximately). Latency is
 * recorded per request, per tenant, for exact percentiles.
 */
import autocannon from 'autocannon';
import { isExpectedStatus, planRequest, projectIdFrom, type PlannedRequest } from '../src/request-mix.js';
import { apportion } from '../src/rates.js';
import type { TenantRow } from '../src/report/tenant-rows.js';
import type { LoadTenant } from '../src/tenants-file.js';
import { judgeTenant } from './judge.js';
import { LatencyRecorder } from './latency-recorder.js';
import { WeightedSchedule } from './weighted-schedule.js';

/** Most lanes a run uses: more lanes spread arrivals more evenly, each costs an autocannon instance. */
export const MAX_LANES = 50;
/** Most connections per lane; beyond it, a connection sends several requests a second. */
export const MAX_CONNECTIONS_PER_LANE = 50;
/**
 * How much longer than the duration the sends may span and the run still count as having
 * kept pace: room for lane start-up on a busy machine, not for a service that fell behind
 * by more than a second.
 */
export const PACE_TOLERANCE_SECONDS = 1;

export interface RunLoadProps {
  /** The service, e.g. `http://127.0.0.1:3000`; the tenant is chosen by the Host header. */
  readonly baseUrl: string;
  /** Total requests per second across all tenants (rounded to a whole number, at least 1). */
  readonly rate: number;
  readonly durationSeconds: number;
  /** The tenants, usually from `tenants.json` or `tenantsFromCatalog()`. */
  readonly tenants: readonly LoadTenant[];
  /**
   * Headers added to every request, e.g. the canary header.
   * @default - none
   */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Seconds before an unanswered request counts as an error.
   * @default 10
   */
  readonly timeoutSeconds?: number;
}

export interface LoadResult {
  /** One row per tenant, in the order of `tenants`, with its verdict against its budgets. */
  readonly rows: readonly TenantRow[];
  readonly targetRate: number;
  /** Requests sent per second over the span of the sends (below the target when the service fell behind). */
  readonly achievedRate: number;
  /**
   * Whether every request was sent within `PACE_TOLERANCE_SECONDS` of the schedule. When it
   * was not, the service answered too slowly for the connections to keep pace, and latencies
   * understate what an open model would have seen (the driver's counterpart of k6's
   * `dropped_iterations`).
   */
  readonly keptPace: boolean;
  readonly durationSeconds: number;
}

interface InFlight {
  readonly tenant: number;
  readonly request: PlannedRequest;
}

/** Drives the service at `rate` for `durationSeconds` and judges every tenant against its budgets. */
export async function runLoad(props: RunLoadProps): Promise<LoadResult> {
  const rate = Math.round(props.rate);
  if (rate < 1) throw new RangeError(`rate must be at least 1 request per second, got ${props.rate}`);
  if (!(props.durationSeconds >= 1)) throw new RangeError(`durationSeconds must be at least 1, got ${props.durationSeconds}`);
  const url = new URL(props.baseUrl);
  const tenants = props.tenants;
  const schedule = new WeightedSchedule(tenants.map((t) => t.weight));
  const recorders = tenants.map(() => new LatencyRecorder());
  const sequence = tenants.map(() => 0);
  const knownProjects = new Map<number, string>();

  let firstSendMs: number | undefined;
  let lastSendMs = 0;
  const nextRequest = (): InFlight => {
    lastSendMs = performance.now();
    firstSendMs ??= lastSendMs;
    const tenant = schedule.next();
    const n = sequence[tenant] ?? 0;
    sequence[tenant] = n + 1;
    return { tenant, request: planRequest(n, knownProjects.get(tenant)) };
  };

  // Each connection has at most one request in flight; this queue holds it, plus the
  // replacement autocannon builds when it reconnects after a timeout or connection error.
  const setupClient = (client: autocannon.Client): void => {
    const inFlight: InFlight[] = [];
    client.setRequests([
      {
        setupRequest: (request) => {
          const next = nextRequest();
          inFlight.push(next);
          const tenant = tenants[next.tenant];
          return {
            ...request,
            method: next.request.method,
            path: `${url.pathname.replace(/\/+$/, '')}${next.request.path}`,
            headers: { ...props.headers, host: tenant?.hostname ?? '', 'content-type': 'application/json' },
            ...(next.request.body !== undefined ? { body: next.request.body } : {}),
          };
        },
        onResponse: (status, body) => {
          const head = inFlight[0];
          if (head?.request.action !== 'create' || status !== 201) return;
          const id = projectIdFrom(body);
          if (id !== undefined) knownProjects.set(head.tenant, id);
        },
      },
    ]);
    client.on('response', (status: number, _bytes: number, latencyMs: number) => {
      const head = inFlight.shift();
      if (head) recorders[head.tenant]?.recordResponse(latencyMs, isExpectedStatus(head.request.action, status));
    });
    const lost = (): void => {
      const head = inFlight.shift();
      if (head) recorders[head.tenant]?.recordNoAnswer();
    };
    // autocannon 8 emits these on the client; @types/autocannon does not list them.
    const events: NodeJS.EventEmitter = client;
    events.on('timeout', lost);
    events.on('connError', lost);
  };

  const laneCount = Math.min(MAX_LANES, rate);
  const laneRates = apportion(rate, Array.from({ length: laneCount }, () => 1));
  await Promise.all(
    laneRates.map(async (laneRate, lane) => {
      await delay((lane * 1000) / laneCount);
      await runLane({
        url: `${url.protocol}//${url.host}`,
        connections: Math.min(laneRate, MAX_CONNECTIONS_PER_LANE),
        overallRate: laneRate,
        // A fixed amount rather than a duration: autocannon's duration cut-off drops the
        // requests still in flight and overshoots by up to a second of pacing.
        amount: laneRate * props.durationSeconds,
        timeout: props.timeoutSeconds ?? 10,
        setupClient,
      });
    }),
  );
  // On schedule, the last lane starts (laneCount − 1)/laneCount s after the first and sends
  // its last requests durationSeconds − 1 s after its start: the span is the duration less
  // 1/laneCount, which is added back.
  const sendSpanSeconds = (lastSendMs - (firstSendMs ?? lastSendMs)) / 1000 + 1 / laneCount;

  const weightSum = tenants.reduce((sum, t) => sum + t.weight, 0);
  const rows = tenants.map((tenant, index): TenantRow =>
    judgeTenant(tenant, (recorders[index] ?? new LatencyRecorder()).measurements(), (rate * props.durationSeconds * tenant.weight) / weightSum),
  );
  const sent = rows.reduce((sum, r) => sum + r.requests, 0);
  const achievedRate = sent / Math.max(sendSpanSeconds, props.durationSeconds);
  const keptPace = sendSpanSeconds <= props.durationSeconds + PACE_TOLERANCE_SECONDS;
  return { rows, targetRate: rate, achievedRate, keptPace, durationSeconds: props.durationSeconds };
}

function runLane(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result)));
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
