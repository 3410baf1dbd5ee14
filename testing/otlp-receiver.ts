/**
 * A minimal OTLP/HTTP receiver for tests: collects the spans of `/v1/traces` requests
 * sent as JSON (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`) and answers every other OTLP
 * path with 200, so an exporter pointed at it never retries. With `keepSpans: false` it
 * only drains bodies, which is what a benchmark wants from a collector.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One exported span, attributes flattened to plain values. */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly name: string;
  /** OTLP span kind: 1 internal, 2 server, 3 client, … */
  readonly kind: number;
  readonly scope: string;
  readonly attributes: Readonly<Record<string, string | number | boolean | undefined>>;
}

export interface OtlpReceiver {
  /** Base URL for OTEL_EXPORTER_OTLP_ENDPOINT, e.g. http://127.0.0.1:4318 */
  readonly url: string;
  readonly port: number;
  /** Spans received so far (empty with `keepSpans: false`). */
  spans(): readonly ReceivedSpan[];
  /** Requests received so far, per path. */
  requests(): ReadonlyMap<string, number>;
  /** Resolves once `predicate` holds for the spans received, or rejects after `timeoutMs`. */
  waitFor(predicate: (spans: readonly ReceivedSpan[]) => boolean, timeoutMs?: number): Promise<readonly ReceivedSpan[]>;
  stop(): Promise<void>;
}

export interface OtlpReceiverOptions {
  /**
   * Parse and keep spans (JSON bodies only).
   * @default true
   */
  readonly keepSpans?: boolean;
}

interface OtlpAnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpTraces {
  resourceSpans?: {
    scopeSpans?: {
      scope?: { name?: string };
      spans?: { traceId: string; spanId: string; name: string; kind?: number; attributes?: { key: string; value: OtlpAnyValue }[] }[];
    }[];
  }[];
}

function plain(value: OtlpAnyValue): string | number | boolean | undefined {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  return value.doubleValue ?? value.boolValue;
}

export async function startOtlpReceiver(options: OtlpReceiverOptions = {}): Promise<OtlpReceiver> {
  const keep = options.keepSpans ?? true;
  const spans: ReceivedSpan[] = [];
  const requests = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => {
      if (keep) chunks.push(chunk);
    });
    request.on('end', () => {
      const path = request.url ?? '/';
      requests.set(path, (requests.get(path) ?? 0) + 1);
      const json = (request.headers['content-type'] ?? '').includes('json');
      if (keep && path === '/v1/traces' && json) {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpTraces;
        for (const resource of body.resourceSpans ?? []) {
          for (const scope of resource.scopeSpans ?? []) {
            for (const span of scope.spans ?? []) {
              const attributes: Record<string, string | number | boolean | undefined> = {};
              for (const attribute of span.attributes ?? []) attributes[attribute.key] = plain(attribute.value);
              spans.push({ traceId: span.traceId, spanId: span.spanId, name: span.name, kind: span.kind ?? 0, scope: scope.scope?.name ?? '', attributes });
            }
          }
        }
      }
      response.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      response.end(json ? '{}' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    spans: () => spans,
    requests: () => requests,
    async waitFor(predicate, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(spans)) {
        if (Date.now() > deadline) throw new Error(`OTLP receiver: condition not met after ${timeoutMs} ms with ${spans.length} spans received`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return spans;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
