/**
 * Load profiles, chosen by `PROFILE`, and the environment variables that override them
 * (`BASE_URL`, `RATE`, `DURATION`, `CANARY_HEADER`). Pure: the k6 script passes `__ENV`,
 * tests pass a plain object.
 */

export const PROFILE_NAMES = ['smoke', 'load', 'soak', 'canary'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export interface Profile {
  /** Total requests per second across all tenants. */
  readonly ratePerSecond: number;
  readonly durationSeconds: number;
  /** Stop the run at the first crossed latency, error or check threshold (after a short delay). */
  readonly abortOnFail: boolean;
  /** Send the canary header so the traffic router sends every request to the canary. */
  readonly targetsCanary: boolean;
}

/**
 * Canary requests each tenant needs in the 10-minute analysis for the canary gate to find,
 * with 95% power at 40 tenants, a +30% latency regression (about 185) or a 2% 5xx rate over
 * a 0.1% baseline (about 650): `npm run bench:canary -- --sizes 40 --fleet-rps N`, see
 * docs/canary.md.
 */
export const CANARY_REQUESTS_PER_TENANT = 650;
/** The Rollout's canary weight during the analysis (deploy/tenant-api/rollout.yaml, setWeight: 5). */
export const CANARY_TRAFFIC_WEIGHT = 0.05;
/** Tenants, equally weighted, the canary profile's rate is sized for; raise RATE for more or uneven ones. */
export const CANARY_PROFILE_TENANTS = 40;
const CANARY_SECONDS = 600;

export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  /** A quick "does it work at all" run before a real one. */
  smoke: { ratePerSecond: 5, durationSeconds: 30, abortOnFail: true, targetsCanary: false },
  /** The CI gate: a steady rate long enough for a stable per-tenant p95. */
  load: { ratePerSecond: 50, durationSeconds: 300, abortOnFail: false, targetsCanary: false },
  /** Long and gentle, for leaks and slow drift. */
  soak: { ratePerSecond: 20, durationSeconds: 3600, abortOnFail: false, targetsCanary: false },
  /** Drives the canary for the 10-minute window the canary gate judges, with enough requests per tenant to judge it. */
  canary: {
    ratePerSecond: Math.ceil((CANARY_REQUESTS_PER_TENANT * CANARY_PROFILE_TENANTS) / (CANARY_SECONDS * CANARY_TRAFFIC_WEIGHT)),
    durationSeconds: CANARY_SECONDS,
    abortOnFail: false,
    targetsCanary: true,
  },
};

/**
 * Header that routes a request to the canary: Argo Rollouts' `setHeaderRoute` step (or a
 * Gateway API `HTTPRoute` header match) must match it. Override with
 * `CANARY_HEADER="name: value"`.
 */
export const DEFAULT_CANARY_HEADER = { name: 'x-canary', value: 'always' } as const;

/** Where the reference service listens by default (examples/tenant-api, `PORT` 8080). */
export const DEFAULT_BASE_URL = 'http://127.0.0.1:8080';

export interface RunSettings {
  readonly profile: ProfileName;
  /** Where requests go; the tenant is chosen by the Host header, not by this URL. */
  readonly baseUrl: string;
  readonly ratePerSecond: number;
  readonly durationSeconds: number;
  readonly abortOnFail: boolean;
  /** Extra headers sent with every request (the canary header for the `canary` profile). */
  readonly headers: Readonly<Record<string, string>>;
}

/** Thrown for an unknown profile or an unreadable override, naming the variable. */
export class RunSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunSettingsError';
  }
}

/** The run settings for an environment (k6's `__ENV`): the profile, then each override. */
export function resolveRunSettings(env: Readonly<Record<string, string | undefined>>): RunSettings {
  const profileName = env['PROFILE'] || 'load';
  if (!isProfileName(profileName)) {
    throw new RunSettingsError(`PROFILE=${profileName} is not a profile (known: ${PROFILE_NAMES.join(', ')})`);
  }
  const profile = PROFILES[profileName];
  const rate = env['RATE'] ? Number(env['RATE']) : profile.ratePerSecond;
  if (!(Number.isFinite(rate) && rate > 0)) throw new RunSettingsError(`RATE=${env['RATE']} is not a positive number of requests per second`);
  const durationSeconds = env['DURATION'] ? parseDurationSeconds(env['DURATION']) : profile.durationSeconds;
  const baseUrl = (env['BASE_URL'] || DEFAULT_BASE_URL).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(baseUrl)) throw new RunSettingsError(`BASE_URL=${baseUrl} is not an http(s) URL`);
  return {
    profile: profileName,
    baseUrl,
    ratePerSecond: rate,
    durationSeconds,
    abortOnFail: profile.abortOnFail,
    headers: profile.targetsCanary ? canaryHeader(env['CANARY_HEADER']) : {},
  };
}

/** Reads `30`, `30s`, `5m` or `1h` as seconds. */
export function parseDurationSeconds(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (!match) throw new RunSettingsError(`DURATION=${text} is not a duration such as 90s, 5m or 1h`);
  const factor = match[2] === 'h' ? 3600 : match[2] === 'm' ? 60 : 1;
  const seconds = Number(match[1]) * factor;
  if (!(seconds >= 1)) throw new RunSettingsError(`DURATION=${text} is shorter than one second`);
  return seconds;
}

function canaryHeader(text: string | undefined): Record<string, string> {
  if (!text) return { [DEFAULT_CANARY_HEADER.name]: DEFAULT_CANARY_HEADER.value };
  const colon = text.indexOf(':');
  const name = text.slice(0, colon).trim();
  const value = text.slice(colon + 1).trim();
  if (colon <= 0 || !name || !value) throw new RunSettingsError(`CANARY_HEADER=${text} is not "name: value"`);
  return { [name]: value };
}

function isProfileName(name: string): name is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(name);
}
