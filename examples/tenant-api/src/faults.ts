/**
 * Fault injection for tests and demos: `TENANTRY_FAULTS="<tenant>:latency=<ms>,errors=<ratio>;..."`
 * slows down or fails the API requests of the named tenants only. Off unless set. The
 * syntax is parsed strictly and tenant ids are checked against the catalog, so a typo
 * fails the start instead of silently injecting nothing.
 */

/** What to do to one tenant's API requests. */
export interface TenantFault {
  /** Added delay before the request is handled, in milliseconds. */
  readonly latencyMs: number;
  /** Share of requests answered with 503 instead of being handled (0..1). */
  readonly errorRatio: number;
}

/** Faults by tenant id; a tenant that is not in the map is untouched. */
export type FaultPlan = ReadonlyMap<string, TenantFault>;

export const FAULTS_VARIABLE = 'TENANTRY_FAULTS';

/** Thrown for a `TENANTRY_FAULTS` value that does not parse; the message names the bad part. */
export class FaultSpecError extends Error {
  constructor(spec: string, problem: string) {
    super(
      `${FAULTS_VARIABLE}="${spec}": ${problem}. ` +
        'Expected "<tenant>:latency=<ms>,errors=<ratio>;...", e.g. "northwind:latency=250,errors=0.1;brightwave:errors=1"',
    );
    this.name = 'FaultSpecError';
  }
}

/**
 * Parses a `TENANTRY_FAULTS` value. Empty or unset means no faults.
 *
 * @param knownTenants the catalog's tenant ids; any other id is an error
 * @throws FaultSpecError on bad syntax, an unknown tenant, a repeated tenant or setting, or an out-of-range value
 */
export function parseFaults(spec: string | undefined, knownTenants: ReadonlySet<string>): FaultPlan {
  const plan = new Map<string, TenantFault>();
  if (spec === undefined || spec.trim() === '') return plan;
  for (const entry of spec.split(';')) {
    if (entry.trim() === '') continue; // tolerate a trailing ';'
    const colon = entry.indexOf(':');
    if (colon < 0) throw new FaultSpecError(spec, `"${entry}" has no ":" between the tenant and its settings`);
    const tenantId = entry.slice(0, colon).trim();
    if (!knownTenants.has(tenantId)) {
      throw new FaultSpecError(spec, `tenant "${tenantId}" is not in the catalog (known: ${[...knownTenants].sort().join(', ')})`);
    }
    if (plan.has(tenantId)) throw new FaultSpecError(spec, `tenant "${tenantId}" is named twice`);
    plan.set(tenantId, parseSettings(spec, tenantId, entry.slice(colon + 1)));
  }
  return plan;
}

function parseSettings(spec: string, tenantId: string, settings: string): TenantFault {
  let latencyMs: number | undefined;
  let errorRatio: number | undefined;
  for (const setting of settings.split(',')) {
    const match = /^\s*(latency|errors)\s*=\s*([0-9]+(?:\.[0-9]+)?)\s*$/.exec(setting);
    if (match === null) {
      throw new FaultSpecError(spec, `"${setting.trim()}" for tenant "${tenantId}" is not latency=<ms> or errors=<ratio>`);
    }
    const [, key, raw] = match as unknown as [string, 'latency' | 'errors', string];
    const value = Number(raw);
    if (key === 'latency') {
      if (latencyMs !== undefined) throw new FaultSpecError(spec, `latency is set twice for tenant "${tenantId}"`);
      if (!Number.isInteger(value)) throw new FaultSpecError(spec, `latency=${raw} for tenant "${tenantId}" is not a whole number of milliseconds`);
      latencyMs = value;
    } else {
      if (errorRatio !== undefined) throw new FaultSpecError(spec, `errors is set twice for tenant "${tenantId}"`);
      if (value > 1) throw new FaultSpecError(spec, `errors=${raw} for tenant "${tenantId}" is not a ratio between 0 and 1`);
      errorRatio = value;
    }
  }
  return { latencyMs: latencyMs ?? 0, errorRatio: errorRatio ?? 0 };
}

/** The outcome of applying a tenant's fault to one request. */
export type FaultOutcome = 'proceed' | 'fail';

/**
 * Applies the plan's fault for `tenantId`: waits the injected latency, then decides
 * whether the request fails. `random` is injectable so the decision can be tested.
 */
export async function applyFault(plan: FaultPlan, tenantId: string, random: () => number = Math.random): Promise<FaultOutcome> {
  const fault = plan.get(tenantId);
  if (fault === undefined) return 'proceed';
  if (fault.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
  return random() < fault.errorRatio ? 'fail' : 'proceed';
}
