/**
 * k6's virtual users, as the driver needs them: a tenant's requests are sent by a pool of
 * VUs, each with its own keep-alive connection and its own memory (the last project it
 * created), handed out in the order they became free. That is how k6's
 * `constant-arrival-rate` executor runs a scenario: `preAllocatedVUs` VUs up front, more
 * up to `maxVUs` when all are busy, an iteration dropped beyond that; every VU has its own
 * connection, and the free VUs wait in a first-in, first-out queue, so all of them keep
 * being used in turn.
 *
 * Why it matters: a shared Node `Agent` hands out its most recently used socket (LIFO), so
 * a handful of hot connections carry the whole load, where k6 spreads it over dozens.
 * Against the reference service the two loads differ (the service used more CPU per
 * request under k6), so a driver that agrees with k6 must spread its requests the same way.
 */
import { Agent } from 'node:http';

export interface VirtualUser {
  /** This VU's own connection (at most one socket, kept alive between its requests). */
  readonly agent: Agent;
  /** The last project this VU created, for its next `GET /api/projects/:id` (k6 keeps it per VU too). */
  knownProject: string | undefined;
}

function newVirtualUser(): VirtualUser {
  // TCP_NODELAY as Go (k6) sets it: with Nagle's algorithm on (Node's default for client
  // sockets) small writes wait for the peer's delayed ACK, and the driver's p50 was ~40 ms
  // where k6 measured ~5 ms against the same service.
  return { agent: new Agent({ keepAlive: true, maxSockets: 1, noDelay: true }), knownProject: undefined };
}

/** One tenant's VUs. */
export class VirtualUserPool {
  private readonly free: VirtualUser[];
  private readonly all: VirtualUser[];

  constructor(
    preAllocated: number,
    private readonly max: number,
  ) {
    this.all = Array.from({ length: Math.min(preAllocated, max) }, newVirtualUser);
    this.free = [...this.all];
  }

  /** The VU free the longest, a new one while below the ceiling, or undefined (the request is dropped). */
  acquire(): VirtualUser | undefined {
    const idle = this.free.shift();
    if (idle) return idle;
    if (this.all.length >= this.max) return undefined;
    const added = newVirtualUser();
    this.all.push(added);
    return added;
  }

  release(user: VirtualUser): void {
    this.free.push(user);
  }

  /** VUs created so far (k6's `vus_max` of the scenario). */
  get size(): number {
    return this.all.length;
  }

  /** Closes every VU's connection. */
  destroy(): void {
    for (const user of this.all) user.agent.destroy();
  }
}
