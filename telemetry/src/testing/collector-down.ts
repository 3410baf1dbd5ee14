import { createServer, type Server, type Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { trace } from '@opentelemetry/api';
import { loadCatalog } from '@tenantry/catalog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantRequestHandler } from '../middleware/node-http.js';
import { startTelemetry, type TelemetryHandle } from '../sdk.js';
import { closeClient, listen, sendFromOutside } from './requests.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const EXPORT_TIMEOUT_MS = 5000;

/** A TCP server that accepts connections and never answers: the slowest collector there is. */
export async function silentCollector(): Promise<TestCollector> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Sends `count` requests, 50 at a time; returns the slowest latency in ms. */
async function load(port: number, count: number): Promise<number> {
  let slowest = 0;
  for (let i = 0; i < count; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, async () => {
        const start = performance.now();
        const response = await sendFromOutside(port, '/', { host: 'northwind.staging.tenantry.app' });
        expect(response.status).toBe(200);
        slowest = Math.max(slowest, performance.now() - start);
      }),
    );
  }
  return slowest;
}

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** A collector for the suite: its port, and how many connections it accepted. */
export interface TestCollector {
  readonly port: number;
  connections(): number;
  close(): Promise<void>;
}

/**
 * The suite every "collector down" test file runs (one file per collector, since the
 * SDK starts once per process): requests are answered long before an export could time
 * out and the heap stays bounded while spans cannot leave.
 */
export function describeCollectorDown(name: string, start: () => Promise<TestCollector>, expectConnections: boolean): void {
  describe(`with the OTLP collector at ${name}`, () => {
  let collector: Awaited<ReturnType<typeof start>>;
  let telemetry: TelemetryHandle;
  let app: Awaited<ReturnType<typeof listen>>;

  beforeAll(async () => {
    collector = await start();
    process.env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${collector.port}`;
    process.env.OTEL_EXPORTER_OTLP_PROTOCOL = 'http/json';
    process.env.OTEL_EXPORTER_OTLP_TIMEOUT = String(EXPORT_TIMEOUT_MS);
    process.env.OTEL_BSP_SCHEDULE_DELAY = '100';
    telemetry = startTelemetry({ catalog: loadCatalog(), environment: 'staging', prometheus: false });
    app = await listen(
      tenantRequestHandler((_req, res) => {
        trace.getTracer('test').startActiveSpan('work', (span) => span.end());
        res.end('ok');
      }),
    );
  });

  afterAll(async () => {
    closeClient();
    await app.close();
    await telemetry.shutdown();
    await collector.close();
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  });

  it('answers every request long before an export could time out, and the heap stays bounded', async () => {
    await load(app.port, 2000);
    const before = heapAfterGc();
    const slowest = await load(app.port, 20_000); // 40,000 spans: 20 times the export queue
    const growth = heapAfterGc() - before;
    expect(slowest, `slowest request with ${name}`).toBeLessThan(EXPORT_TIMEOUT_MS);
    // Unbounded, 38,000 more spans would hold well over 40 MB; the queue caps them at 2,048.
    expect(growth, `heap growth in bytes with ${name}`).toBeLessThan(16 * 1024 * 1024);
    // The exporter did try: the suite exercised a hanging export, not an idle one.
    if (expectConnections) expect(collector.connections()).toBeGreaterThan(0);
  });
});
}
