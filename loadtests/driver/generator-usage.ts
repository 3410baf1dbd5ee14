/**
 * How busy the load generator itself was. Latency is measured from each request's
 * intended start, so a generator that cannot send on time adds its own delay to every
 * latency; these figures tell that apart from a slow service.
 */
import { percentile } from './latency-recorder.js';

/**
 * Share of one core above which the driver counts as saturated: its requests are sent
 * and answered on one JavaScript thread, and near a full core its timers and socket
 * callbacks queue behind each other.
 */
export const SATURATED_CPU_SHARE = 0.8;
/** p99 of the send delay (actual minus intended start) above which the driver counts as saturated. */
export const SATURATED_DISPATCH_LAG_MS = 10;

export interface GeneratorUsage {
  /** CPU time of the driver's process (user + system) over the run, in seconds. */
  readonly cpuSeconds: number;
  /** `cpuSeconds` over the run's wall time: 1.0 is one full core. */
  readonly cpuShareOfOneCore: number;
  /** Delay between a request's intended and actual start, in milliseconds. */
  readonly dispatchLagP50Ms: number;
  readonly dispatchLagP99Ms: number;
  readonly dispatchLagMaxMs: number;
  /**
   * Connections opened during the run (VUs added beyond the pre-allocated ones, or a
   * connection the service closed): k6 leaves the connect time out of `http_req_duration`,
   * the driver's latency includes it.
   */
  readonly newConnections: number;
  /** True when CPU or send delay crossed the limits above: latencies then include the driver's own delay. */
  readonly saturated: boolean;
}

/** Measures CPU from construction to `finish()`, and the send delays recorded meanwhile. */
export class GeneratorUsageMeter {
  private readonly cpuAtStart = process.cpuUsage();
  private readonly wallAtStart = performance.now();
  private readonly lagsMs: number[] = [];
  private connectionsOpened = 0;

  recordDispatchLag(lagMs: number): void {
    this.lagsMs.push(lagMs);
  }

  recordNewConnection(): void {
    this.connectionsOpened++;
  }

  finish(): GeneratorUsage {
    const cpu = process.cpuUsage(this.cpuAtStart);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const wallSeconds = Math.max((performance.now() - this.wallAtStart) / 1000, 1e-3);
    const sorted = [...this.lagsMs].sort((a, b) => a - b);
    const cpuShareOfOneCore = cpuSeconds / wallSeconds;
    const dispatchLagP99Ms = percentile(sorted, 99) ?? 0;
    return {
      cpuSeconds,
      cpuShareOfOneCore,
      dispatchLagP50Ms: percentile(sorted, 50) ?? 0,
      dispatchLagP99Ms,
      dispatchLagMaxMs: sorted.at(-1) ?? 0,
      newConnections: this.connectionsOpened,
      saturated: cpuShareOfOneCore > SATURATED_CPU_SHARE || dispatchLagP99Ms > SATURATED_DISPATCH_LAG_MS,
    };
  }
}

/** One line for logs and tables: `driver CPU 0.12 of a core, send delay p50 0.0 ms / p99 1.3 ms / max 4.0 ms, 6 new connections`. */
export function describeGeneratorUsage(usage: GeneratorUsage): string {
  return (
    `driver CPU ${usage.cpuShareOfOneCore.toFixed(2)} of a core, send delay p50 ${usage.dispatchLagP50Ms.toFixed(1)} ms / p99 ${usage.dispatchLagP99Ms.toFixed(1)} ms / max ${usage.dispatchLagMaxMs.toFixed(1)} ms, ${usage.newConnections} new connections` +
    (usage.saturated ? ' — SATURATED: latencies include the driver’s own delay' : '')
  );
}
