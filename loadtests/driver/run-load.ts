/**
 * The local load driver: the k6 script's traffic (same tenants file, same per-tenant
 * arrival rates, same request mix, same Host and Authorization headers) sent with
 * Node's own HTTP client, for machines without k6 and for end-to-end tests that need
 * realistic per-tenant traffic.
 *
 * It is an open model, as k6's `constant-arrival-rate` executor: every request has an
 * intended start time fixed before the run (evenly spaced per tenant), it is sent at that
 * time whatever happened to earlier requests, and its latency is measured from that
 * intended time, so a slow answer cannot delay the next request and hide its own
 * slowness (coordinated omission). As in k6, a tenant has at most `maxVUs` requests in
 * flight; a request due while all are busy is dropped and counted. The driver's own CPU
 * use and send delay are measured, so a saturated driver cannot pass for a slow service.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { isExpectedStatus, planRequest, projectIdFrom } from '../src/request-mix.js';
import type { TenantRow } from '../src/report/tenant-rows.js';
import type { LoadTenant } from '../src/tenants-file.js';
import { authorizationHeader, type TenantTokens } from '../src/tokens-file.js';
import { arrivalSchedule, type Arrival } from './arrival-schedule.js';
import { GeneratorUsageMeter, type GeneratorUsage } from './generator-usage.js';
import { judgeTenant } from './judge.js';
import { LatencyRecorder, type TenantSamples } from './latency-recorder.js';
import { VirtualUserPool } from './virtual-users.js';

export interface RunLoadProps {
  /** The service, e.g. `http://127.0.0.1:3000`; the tenant is chosen by the Host header. */
  readonly baseUrl: string;
  /** Total requests per second across all tenants, split by weight as the k6 script splits it. */
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
   * Bearer token per tenant id, sent as `Authorization: Bearer <token>`.
   * @default - no Authorization header
   */
  readonly tokens?: TenantTokens;
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
  /** Requests sent per second of the run (below the target when requests were dropped). */
  readonly achievedRate: number;
  /** Requests not sent because their tenant already had `maxVUs` in flight (k6's `dropped_iterations`). */
  readonly dropped: number;
  /** True when no request was dropped: the service answered fast enough for the open model's ceiling. */
  readonly keptPace: boolean;
  /** Every tenant's raw latencies, errors and dropped requests, in the order of `tenants`, for pooling several runs. */
  readonly samples: readonly (TenantSamples & { readonly dropped: number })[];
  /** The driver's own CPU, send delay and new connections over the run. */
  readonly generator: GeneratorUsage;
  readonly durationSeconds: number;
}

/** Drives the service at `rate` for `durationSeconds` and judges every tenant against its budgets. */
export async function runLoad(props: RunLoadProps): Promise<LoadResult> {
  if (!(props.rate > 0)) throw new RangeError(`rate must be above 0 requests per second, got ${props.rate}`);
  if (!(props.durationSeconds >= 1)) throw new RangeError(`durationSeconds must be at least 1, got ${props.durationSeconds}`);
  const url = new URL(props.baseUrl);
  const basePath = url.pathname.replace(/\/+$/, '');
  const timeoutMs = (props.timeoutSeconds ?? 10) * 1000;
  const tenants = props.tenants;
  const schedule = arrivalSchedule(tenants, props.rate, props.durationSeconds);
  const recorders = tenants.map(() => new LatencyRecorder());
  const droppedByTenant = tenants.map(() => 0);
  const meter = new GeneratorUsageMeter();
  const users = schedule.tenants.map((plan) => new VirtualUserPool(plan.preAllocated, plan.maxInFlight, () => meter.recordNewConnection()));
  await Promise.all(users.map((pool) => pool.connect(url.hostname, Number(url.port || 80))));
  let dropped = 0;
  let sent = 0;
  let unsettled = 0;
  let allSettled: () => void = () => undefined;

  const send = (arrival: Arrival, startMs: number): void => {
    const tenant = tenants[arrival.tenant];
    if (!tenant) return;
    const pool = users[arrival.tenant];
    const user = pool?.acquire();
    if (!pool || !user) {
      dropped++;
      droppedByTenant[arrival.tenant] = (droppedByTenant[arrival.tenant] ?? 0) + 1;
      return;
    }
    const planned = planRequest(arrival.iteration, user.knownProject);
    const recorder = recorders[arrival.tenant] ?? new LatencyRecorder();
    const body = planned.body;
    const intendedMs = startMs + arrival.atMs;
    const sendDelayMs = performance.now() - intendedMs;
    meter.recordDispatchLag(sendDelayMs);
    unsettled++;
    sent++;
    let settled = false;
    const settle = (outcome: { latencyMs: number; ok: boolean } | undefined): void => {
      if (settled) return;
      settled = true;
      if (outcome) recorder.recordResponse(outcome.latencyMs, outcome.ok, sendDelayMs);
      else recorder.recordNoAnswer();
      pool.release(user);
      if (--unsettled === 0) allSettled();
    };
    const req = httpRequest(
      {
        agent: user.agent,
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port,
        method: planned.method,
        path: `${basePath}${planned.path}`,
        headers: {
          ...props.headers,
          ...authorizationHeader(props.tokens, tenant.id),
          host: tenant.hostname,
          'content-type': 'application/json',
          ...(body !== undefined ? { 'content-length': Buffer.byteLength(body) } : {}),
        },
        timeout: timeoutMs,
      },
      (res: IncomingMessage) => {
        const keepBody = planned.action === 'create' && res.statusCode === 201;
        const chunks: Buffer[] = [];
        if (keepBody) res.on('data', (chunk: Buffer) => chunks.push(chunk));
        else res.resume();
        res.on('end', () => {
          if (keepBody) {
            const id = projectIdFrom(Buffer.concat(chunks).toString('utf8'));
            if (id !== undefined) user.knownProject = id;
          }
          settle({ latencyMs: performance.now() - intendedMs, ok: isExpectedStatus(planned.action, res.statusCode ?? 0) });
        });
        res.on('error', () => settle(undefined));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', () => settle(undefined));
    req.end(body);
  };

  const startMs = performance.now();
  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = (): void => {
      const elapsedMs = performance.now() - startMs;
      for (let due = schedule.arrivals[next]; due !== undefined && due.atMs <= elapsedMs; due = schedule.arrivals[++next]) send(due, startMs);
      const upcoming = schedule.arrivals[next];
      if (upcoming === undefined) resolve();
      else wakeAt(startMs + upcoming.atMs, tick);
    };
    tick();
  });
  if (unsettled > 0) await new Promise<void>((resolve) => (allSettled = resolve));
  const generator = meter.finish();
  for (const pool of users) pool.destroy();

  const rows = tenants.map((tenant, index): TenantRow =>
    judgeTenant(tenant, (recorders[index] ?? new LatencyRecorder()).measurements(), schedule.tenants[index]?.ratePerSecond ?? 0, props.durationSeconds),
  );
  return {
    rows,
    samples: recorders.map((r, index) => ({ ...r.samples(), dropped: droppedByTenant[index] ?? 0 })),
    targetRate: props.rate,
    achievedRate: sent / props.durationSeconds,
    dropped,
    keptPace: dropped === 0,
    generator,
    durationSeconds: props.durationSeconds,
  };
}

/**
 * Runs `callback` as close after `atMs` (a `performance.now()` time) as the event loop
 * allows. Node's timers count whole milliseconds and fire up to a millisecond or two late
 * (measured: 0.6 ms at p50, 1.9 ms at p95 for a 59/s schedule), and every millisecond of
 * lateness lands in a latency measured from the intended start; k6's Go timers do not have
 * it, and k6 times from the actual send anyway. So the timer wakes the loop a millisecond
 * early and the last millisecond is waited out with `setImmediate`, which keeps answering
 * sockets meanwhile (a synchronous spin would delay the answers being timed). Measured: send
 * delay p50 0 ms, for about 5–9% of a core at 59–300 arrivals/s.
 */
function wakeAt(atMs: number, callback: () => void): void {
  const waitMs = atMs - performance.now();
  if (waitMs <= EARLY_WAKE_MS) setImmediate(callback);
  else setTimeout(callback, waitMs - EARLY_WAKE_MS);
}

/** How long before a request is due the driver's timer wakes up (see `wakeAt`). */
const EARLY_WAKE_MS = 1;
