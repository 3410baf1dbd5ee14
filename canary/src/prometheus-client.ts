/**
 * A small client for Prometheus' HTTP API: instant queries at a given evaluation time,
 * with a timeout. Failures are typed so the gate can say exactly what is missing.
 */

export type PrometheusFailure = 'unreachable' | 'query-error' | 'bad-response';

export class PrometheusError extends Error {
  constructor(
    readonly failure: PrometheusFailure,
    readonly query: string,
    message: string,
  ) {
    super(message);
    this.name = 'PrometheusError';
  }
}

/** One series of an instant vector. */
export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface PrometheusClientProps {
  /** Base URL, e.g. http://prometheus.monitoring:9090 */
  readonly url: string;
  /**
   * Per-query timeout, sent to Prometheus too so it stops working when we stop waiting.
   * @default 10000
   */
  readonly timeoutMs?: number;
}

interface ApiResponse {
  readonly status?: string;
  readonly errorType?: string;
  readonly error?: string;
  readonly data?: { readonly resultType?: string; readonly result?: unknown };
}

interface VectorEntry {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

export class PrometheusClient {
  readonly url: string;
  private readonly timeoutMs: number;

  constructor(props: PrometheusClientProps) {
    this.url = props.url.replace(/\/+$/, '');
    this.timeoutMs = props.timeoutMs ?? 10_000;
  }

  /** Evaluates `expr` at `time` (GET /api/v1/query); returns the instant vector, or one sample for a scalar. */
  async query(expr: string, time: Date): Promise<Sample[]> {
    const params = new URLSearchParams({ query: expr, time: (time.getTime() / 1000).toFixed(3), timeout: `${Math.ceil(this.timeoutMs / 1000)}s` });
    let response: Response;
    try {
      response = await fetch(`${this.url}/api/v1/query?${params}`, { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
      throw new PrometheusError('unreachable', expr, `Prometheus at ${this.url} is unreachable (${cause})`);
    }
    let body: ApiResponse;
    try {
      body = (await response.json()) as ApiResponse;
    } catch {
      throw new PrometheusError('bad-response', expr, `Prometheus at ${this.url} answered HTTP ${response.status} without a JSON body`);
    }
    if (body.status !== 'success') {
      throw new PrometheusError('query-error', expr, `Prometheus rejected the query (${body.errorType ?? `HTTP ${response.status}`}: ${body.error ?? 'no message'}): ${expr}`);
    }
    const result = body.data?.result;
    if (body.data?.resultType === 'scalar' && Array.isArray(result)) return [{ labels: {}, value: Number(result[1]) }];
    if (body.data?.resultType !== 'vector' || !Array.isArray(result)) {
      throw new PrometheusError('bad-response', expr, `expected an instant vector from ${expr}, got ${body.data?.resultType ?? 'nothing'}`);
    }
    return (result as VectorEntry[]).map((entry) => ({ labels: entry.metric, value: Number(entry.value[1]) }));
  }
}
