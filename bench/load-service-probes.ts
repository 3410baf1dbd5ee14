/**
 * What the reference service waits on, seen from outside it while the bench drives it:
 * its event-loop delay (written once a second by bench/event-loop-delay-register.mjs,
 * loaded into the service with `--import`) and how many of its PostgreSQL pool's
 * connections are busy (PostgreSQL's own `pg_stat_activity`, sampled every 100 ms).
 * A pool whose every connection is busy most of the time makes requests queue for a
 * connection; a late event loop means the service's one thread is the limit.
 */
import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';

/** `monitorEventLoopDelay` resolution in the register module: its figures include it. */
export const EVENT_LOOP_SAMPLING_MS = 10;

interface EventLoopSecond {
  readonly atMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export interface EventLoopDelay {
  /** Median over the window's seconds of each second's p99 delay, sampling resolution taken off. */
  readonly p99Ms: number;
  /** Largest single delay in the window, sampling resolution taken off. */
  readonly maxMs: number;
}

/** The event-loop delay in the window [fromMs, toMs] (epoch ms), or undefined when the file has no second in it. */
export function eventLoopDelayBetween(file: string, fromMs: number, toMs: number): EventLoopDelay | undefined {
  if (!existsSync(file)) return undefined;
  const seconds = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as EventLoopSecond)
    .filter((s) => s.atMs > fromMs && s.atMs <= toMs);
  if (seconds.length === 0) return undefined;
  const p99s = seconds.map((s) => s.p99Ms).sort((a, b) => a - b);
  const beyondSampling = (ms: number): number => Math.max(0, ms - EVENT_LOOP_SAMPLING_MS);
  return { p99Ms: beyondSampling(p99s[Math.floor(p99s.length / 2)] ?? 0), maxMs: beyondSampling(Math.max(...seconds.map((s) => s.maxMs))) };
}

export interface PoolOccupancy {
  /** Mean busy connections (running a statement or inside a transaction) of the service's login role. */
  readonly meanBusy: number;
  /** Share of samples in which every connection of the pool was busy: requests then wait for one. */
  readonly fullShare: number;
  readonly samples: number;
}

/** Samples `pg_stat_activity` for the connections of `role` until `stop()`. */
export class PoolOccupancySampler {
  private readonly busyCounts: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> | undefined;

  private constructor(
    private readonly client: pg.Client,
    private readonly role: string,
    private readonly poolSize: number,
  ) {}

  static async start(superuserUrl: string, role: string, poolSize: number): Promise<PoolOccupancySampler> {
    const client = new pg.Client({ connectionString: superuserUrl });
    await client.connect();
    const sampler = new PoolOccupancySampler(client, role, poolSize);
    sampler.timer = setInterval(() => {
      sampler.sampling ??= sampler.sample().finally(() => (sampler.sampling = undefined));
    }, 100);
    return sampler;
  }

  private async sample(): Promise<void> {
    const result = await this.client.query<{ busy: string }>(
      `select count(*) filter (where state is not null and state <> 'idle') as busy from pg_stat_activity where usename = $1`,
      [this.role],
    );
    this.busyCounts.push(Number(result.rows[0]?.busy ?? 0));
  }

  /** Occupancy since the last `take()` (or the start), then starts counting again. */
  take(): PoolOccupancy {
    const counts = this.busyCounts.splice(0);
    const samples = counts.length;
    return {
      meanBusy: samples === 0 ? 0 : counts.reduce((a, b) => a + b, 0) / samples,
      fullShare: samples === 0 ? 0 : counts.filter((c) => c >= this.poolSize).length / samples,
      samples,
    };
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sampling;
    await this.client.end();
  }
}
