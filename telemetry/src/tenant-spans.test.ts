import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { loadCatalog } from '@tenantry/catalog';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TENANT_ATTRIBUTE, UNKNOWN_TENANT } from '@tenantry/conventions';
import { tenantRequestHandler } from './middleware/node-http.js';
import { startTelemetry, type TelemetryHandle } from './sdk.js';
import { currentTenant, withTenant } from './tenant-context.js';
import { TenantResolver } from './tenant-resolver.js';
import { closeClient, listen, send, sendFromOutside } from './testing/requests.js';

const exporter = new InMemorySpanExporter();
const catalog = loadCatalog();
let telemetry: TelemetryHandle;
let app: Awaited<ReturnType<typeof listen>>;
let trustingApp: Awaited<ReturnType<typeof listen>>;
let downstream: Awaited<ReturnType<typeof listen>>;
const downstreamBaggage: (string | undefined)[] = [];

const host = (tenantId: string): string => `${tenantId}.staging.tenantry.app`;

/** Answers with the tenant it saw, after a custom span and a call to the downstream service. */
function tenantEcho(downstreamHost: string) {
  return tenantRequestHandler(async (req, res, tenant) => {
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
    const seen = currentTenant();
    trace.getTracer('test').startActiveSpan('custom-work', (span) => span.end());
    await send(downstream.port, `/downstream?from=${seen ?? 'none'}`, {}, 'GET', downstreamHost);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ resolution: tenant, currentTenant: seen ?? null, trace: trace.getActiveSpan()?.spanContext().traceId }));
  });
}

beforeAll(async () => {
  telemetry = startTelemetry({
    catalog,
    environment: 'staging',
    prometheus: false,
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    internalHosts: ['localhost'],
  });
  // An internal service: trusts its callers on the loopback, so it reads the tenant from their baggage.
  const trusting = new TenantResolver({ catalog, environment: 'staging', trustedProxies: ['127.0.0.1', '::1'] });
  downstream = await listen(
    tenantRequestHandler(
      (req, res) => {
        downstreamBaggage.push(req.headers.baggage as string | undefined);
        res.end('ok');
      },
      { resolver: trusting },
    ),
  );
  app = await listen(tenantEcho('localhost'));
  trustingApp = await listen(tenantRequestHandler((req, res, tenant) => res.end(JSON.stringify(tenant)), { resolver: trusting }));
});

afterAll(async () => {
  closeClient();
  await Promise.all([app.close(), trustingApp.close(), downstream.close()]);
  await telemetry.shutdown();
});

beforeEach(() => {
  exporter.reset();
  downstreamBaggage.length = 0;
});

function spansOfTrace(traceId: string): ReadableSpan[] {
  return exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
}

async function waitForSpans(traceId: string, count: number): Promise<ReadableSpan[]> {
  for (let i = 0; i < 100; i += 1) {
    const spans = spansOfTrace(traceId);
    if (spans.length >= count) return spans;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return spansOfTrace(traceId);
}

describe('spans of a request', () => {
  it('carry tenant.id on the server span, the custom span and the outgoing client span', async () => {
    const response = await sendFromOutside(app.port, '/', { host: host('brightwave') });
    const { trace: traceId } = JSON.parse(response.body) as { trace: string };
    // server (app) + custom + client + server (downstream)
    const spans = await waitForSpans(traceId, 4);
    expect(spans.map((s) => s.name).sort()).toEqual(['GET', 'GET', 'GET', 'custom-work']);
    for (const span of spans) expect(span.attributes[TENANT_ATTRIBUTE], span.name).toBe('brightwave');
  });

  it('resolve a custom hostname of the environment', async () => {
    const resolver = new TenantResolver({ catalog, environment: 'prod' });
    const ledgerline = catalog.tenants.find((t) => t.id === 'ledgerline')!;
    const custom = ledgerline.customHostnames.prod?.[0];
    expect(custom).toBeDefined();
    const fake = { headers: { host: `${custom!.toUpperCase()}:443` }, socket: { remoteAddress: '203.0.113.9' } };
    expect(resolver.resolve(fake as never)).toEqual({ known: true, tenantId: 'ledgerline', source: 'host' });
  });

  it('never swap tenants between concurrent requests', async () => {
    const tenants = ['brightwave', 'harbor-law', 'northwind', 'ledgerline'];
    const requests = Array.from({ length: 80 }, (_, i) => tenants[i % tenants.length]!);
    const answers = await Promise.all(requests.map((t) => sendFromOutside(app.port, '/', { host: host(t) })));
    for (const [i, answer] of answers.entries()) {
      const body = JSON.parse(answer.body) as { currentTenant: string; trace: string };
      expect(body.currentTenant).toBe(requests[i]);
      const spans = await waitForSpans(body.trace, 4);
      expect(new Set(spans.map((s) => s.attributes[TENANT_ATTRIBUTE]))).toEqual(new Set([requests[i]]));
    }
  });
});

describe('outgoing baggage', () => {
  it('carries the tenant to internal hosts only', async () => {
    await sendFromOutside(app.port, '/', { host: host('northwind') });
    expect(downstreamBaggage).toEqual(['tenant.id=northwind']);

    const external = await listen(tenantEcho('127.0.0.1'));
    try {
      downstreamBaggage.length = 0;
      await sendFromOutside(external.port, '/', { host: host('northwind') });
      expect(downstreamBaggage).toEqual([undefined]);
    } finally {
      await external.close();
    }
  });

  it('never forwards inbound baggage from the internet', async () => {
    await sendFromOutside(app.port, '/', { host: host('northwind'), baggage: 'tenant.id=harbor-law,session=stolen' });
    expect(downstreamBaggage).toEqual(['tenant.id=northwind']);
  });
});

describe('forged tenants from an untrusted peer', () => {
  it('ignores a forged tenant.id baggage', async () => {
    const response = await sendFromOutside(app.port, '/', { host: 'evil.example.com', baggage: 'tenant.id=harbor-law' });
    const body = JSON.parse(response.body) as { resolution: { known: boolean }; currentTenant: string | null; trace: string };
    expect(body.resolution.known).toBe(false);
    expect(body.currentTenant).toBeNull();
    const spans = await waitForSpans(body.trace, 4);
    const server = spans.find((s) => s.parentSpanContext === undefined)!;
    expect(server.attributes[TENANT_ATTRIBUTE]).toBe(UNKNOWN_TENANT);
    for (const span of spans) expect([undefined, UNKNOWN_TENANT]).toContain(span.attributes[TENANT_ATTRIBUTE]);
    expect(downstreamBaggage).toEqual([undefined]);
  });

  it('ignores a forged tenant header: the Host decides', async () => {
    const response = await sendFromOutside(app.port, '/', { host: host('brightwave'), 'x-tenant-id': 'harbor-law', baggage: 'tenant.id=harbor-law' });
    const body = JSON.parse(response.body) as { currentTenant: string; trace: string };
    expect(body.currentTenant).toBe('brightwave');
    const spans = await waitForSpans(body.trace, 4);
    expect(new Set(spans.map((s) => s.attributes[TENANT_ATTRIBUTE]))).toEqual(new Set(['brightwave']));
  });
});

describe('a trusted peer', () => {
  it('names the tenant with the tenant header', async () => {
    const response = await sendFromOutside(trustingApp.port, '/', { host: 'tenant-api.internal', 'x-tenant-id': 'harbor-law' });
    expect(JSON.parse(response.body)).toEqual({ known: true, tenantId: 'harbor-law', source: 'header' });
  });

  it('names the tenant with tenant.id baggage', async () => {
    const response = await sendFromOutside(trustingApp.port, '/', { host: 'tenant-api.internal', baggage: 'other=1,tenant.id=harbor-law;p=1' });
    expect(JSON.parse(response.body)).toEqual({ known: true, tenantId: 'harbor-law', source: 'baggage' });
  });

  it('still cannot name a tenant outside the catalog', async () => {
    const response = await sendFromOutside(trustingApp.port, '/', { host: host('brightwave'), 'x-tenant-id': 'acme' });
    expect(JSON.parse(response.body)).toEqual({ known: false, reason: '"acme" is not a tenant of the catalog' });
  });
});

describe('withTenant', () => {
  it('puts the tenant on spans started inside and restores the outer tenant after', () => {
    const outer = withTenant('northwind', () => {
      const inner = withTenant('harbor-law', () => {
        trace.getTracer('test').startActiveSpan('job', (span) => span.end());
        return currentTenant();
      });
      return [inner, currentTenant()];
    });
    expect(outer).toEqual(['harbor-law', 'northwind']);
    expect(currentTenant()).toBeUndefined();
    expect(exporter.getFinishedSpans().find((s) => s.name === 'job')?.attributes[TENANT_ATTRIBUTE]).toBe('harbor-law');
  });
});
