/**
 * The request mix both load generators send (the k6 script and the local driver): the
 * reference service's list, create and get routes in fixed proportions. Pure, so the two
 * send the same thing and tests can count the mix.
 */

export type Action = 'list' | 'create' | 'get';

/**
 * One cycle of ten requests: 50% list, 30% get, 20% create. The order interleaves them so
 * that even a short run sees every route.
 */
export const MIX_CYCLE: readonly Action[] = ['list', 'create', 'get', 'list', 'get', 'list', 'create', 'list', 'get', 'list'];

export interface PlannedRequest {
  readonly action: Action;
  readonly method: 'GET' | 'POST';
  /** Path on the service, e.g. `/api/projects/42`. */
  readonly path: string;
  /** JSON body, for `create`. */
  readonly body?: string;
  /** Stable request name (k6 `name` tag), so project ids do not become tag values. */
  readonly name: string;
}

export const PROJECTS_PATH = '/api/projects';

/**
 * The request for the `sequence`-th iteration. A `get` needs a project of the same tenant;
 * until one is known it is sent as a `create`, whose answer supplies one.
 */
export function planRequest(sequence: number, knownProjectId: string | undefined): PlannedRequest {
  const action = MIX_CYCLE[sequence % MIX_CYCLE.length] ?? 'list';
  if (action === 'get' && knownProjectId !== undefined) {
    return { action, method: 'GET', path: `${PROJECTS_PATH}/${encodeURIComponent(knownProjectId)}`, name: `GET ${PROJECTS_PATH}/:id` };
  }
  if (action === 'list') return { action, method: 'GET', path: PROJECTS_PATH, name: `GET ${PROJECTS_PATH}` };
  return {
    action: 'create',
    method: 'POST',
    path: PROJECTS_PATH,
    body: JSON.stringify({ name: `load-${sequence}` }),
    name: `POST ${PROJECTS_PATH}`,
  };
}

/** The id of a created project from the service's JSON answer, if there is one. */
export function projectIdFrom(body: string | null | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const record = parsed as Record<string, unknown>;
    const holder = typeof record['project'] === 'object' && record['project'] !== null ? (record['project'] as Record<string, unknown>) : record;
    const id = holder['id'];
    return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
  } catch {
    // Not JSON (an error page): no id, the next `get` is sent as a `create` again.
    return undefined;
  }
}

/**
 * Statuses that mean the route worked. A create may also get 403: the reference service
 * refuses projects beyond the tenant's plan limit, which repeated load tests against one
 * environment reach. That answer is the service working as specified, and it is still timed.
 */
export function expectedStatuses(action: Action): readonly number[] {
  return action === 'create' ? [201, 403] : [200];
}

export function isExpectedStatus(action: Action, status: number): boolean {
  return expectedStatuses(action).includes(status);
}
