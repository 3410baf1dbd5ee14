/**
 * k6's virtual users, as the driver needs them: a tenant's requests are sent by a pool of
 * VUs, each with its own keep-alive connection and its own memory (the last project it
 * created), handed out in the order they became free. That is how k6's
 * `constant-arrival-rate` executor runs a scenario: `preAllocatedVUs` VUs up front, more
 * up to `maxVUs` when all are busy, an iteration dropped beyond that; every VU has its own
 * connection, and the free VUs wait in a first-in, first-out queue, so all of them keep
 * being used in turn. A shared Node `Agent` would instead hand out its most recently used
 * socket, and a handful of hot connections would carry the load k6 spreads over dozens.
 *
 * The pre-allocated VUs connect before the run starts (`connect()`). k6 leaves the time
 * spent connecting out of `http_req_duration`; the driver times from the intended start,
 * connecting included, and in a 10-s slice at 300/s 171 of 3,000 requests (one in 18) were
 * a VU's first: as many as the 5% of answers beyond the p95. Connecting first keeps the two
 * comparable; a VU added during the run (the service is slower than the pool absorbs)
 * still connects on the clock.
 */
import { Agent, type ClientRequestArgs } from 'node:http';
import { connect as netConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** An agent with one keep-alive socket, which may be connected ahead of its first request. */
class VirtualUserAgent extends Agent {
  private preconnected: Socket | undefined;

  constructor(private readonly onNewConnection: () => void) {
    // TCP_NODELAY as Go (k6) sets it: with Nagle's algorithm on (Node's default for client
    // sockets) small writes wait for the peer's delayed ACK, and the driver's p50 was ~40 ms
    // where k6 measured ~5 ms against the same service.
    super({ keepAlive: true, maxSockets: 1, noDelay: true });
  }

  /** Opens the socket the first request will use; a failure is left to that request to meet. */
  preconnect(host: string, port: number): Promise<void> {
    return new Promise((resolve) => {
      const socket = netConnect({ host, port, noDelay: true });
      socket.once('connect', () => {
        this.preconnected = socket;
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        resolve();
      });
    });
  }

  override createConnection(options: ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const ready = this.preconnected;
    this.preconnected = undefined;
    if (ready && !ready.destroyed) return ready;
    this.onNewConnection();
    return super.createConnection(options, callback);
  }

  override destroy(): void {
    this.preconnected?.destroy();
    super.destroy();
  }
}

export interface VirtualUser {
  /** This VU's own connection (at most one socket, kept alive between its requests). */
  readonly agent: Agent;
  /** The last project this VU created, for its next `GET /api/projects/:id` (k6 keeps it per VU too). */
  knownProject: string | undefined;
}

/** One tenant's VUs. */
export class VirtualUserPool {
  private readonly free: VirtualUser[];
  private readonly all: { user: VirtualUser; agent: VirtualUserAgent }[];

  /** `onNewConnection` is told of every connection opened after `connect()`. */
  constructor(
    preAllocated: number,
    private readonly max: number,
    private readonly onNewConnection: () => void = () => undefined,
  ) {
    this.all = Array.from({ length: Math.min(preAllocated, max) }, () => this.newVirtualUser());
    this.free = this.all.map((u) => u.user);
  }

  private newVirtualUser(): { user: VirtualUser; agent: VirtualUserAgent } {
    const agent = new VirtualUserAgent(this.onNewConnection);
    return { user: { agent, knownProject: undefined }, agent };
  }

  /** Connects every VU made so far to `host:port`, before the run's clock starts. */
  async connect(host: string, port: number): Promise<void> {
    await Promise.all(this.all.map(({ agent }) => agent.preconnect(host, port)));
  }

  /** The VU free the longest, a new one while below the ceiling, or undefined (the request is dropped). */
  acquire(): VirtualUser | undefined {
    const idle = this.free.shift();
    if (idle) return idle;
    if (this.all.length >= this.max) return undefined;
    const added = this.newVirtualUser();
    this.all.push(added);
    return added.user;
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
    for (const { agent } of this.all) agent.destroy();
  }
}
