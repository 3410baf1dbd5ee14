import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { loadCatalog } from '@tenantry/catalog';
import express from 'express';
import Fastify from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TENANT_ATTRIBUTE } from '@tenantry/conventions';
import { pinoOptions } from '../pino.js';
import { startTelemetry, type TelemetryHandle } from '../sdk.js';
import { currentTenant } from '../tenant-context.js';
import { closeClient, listen, sendFromOutside } from '../testing/requests.js';
import { expressTenantMiddleware } from './express.js';
import { tenantOf } from './enter-tenant.js';
import { fastifyTenantPlugin } from './fastify.js';
import { tenantRequestHandler } from './node-http.js';

const exporter = new InMemorySpanExporter();
let telemetry: TelemetryHandle;
const host = { host: 'harbor-law.staging.tenantry.app' };

beforeAll(() => {
  telemetry = startTelemetry({ catalog: loadCatalog(), environment: 'staging', prometheus: false, spanProcessors: [new SimpleSpanProcessor(exporter)] });
});

afterAll(async () => {
  closeClient();
  await telemetry.shutdown();
});

function serverSpanOf(traceId: string) {
  return exporter.getFinishedSpans().find((s) => s.spanContext().traceId === traceId && s.parentSpanContext === undefined);
}

async function eventually<T>(read: () => T | undefined): Promise<T> {
  for (let i = 0; i < 100; i += 1) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('timed out waiting for a span');
}

describe('expressTenantMiddleware', () => {
  it('gives handlers the tenant and puts it on the server span', async () => {
    const app = express();
    app.use(expressTenantMiddleware());
    app.get('/whoami', (req, res) => {
      res.json({ resolution: tenantOf(req), current: currentTenant(), trace: trace.getActiveSpan()?.spanContext().traceId });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const response = await sendFromOutside((server.address() as AddressInfo).port, '/whoami', host);
      const body = JSON.parse(response.body) as { resolution: unknown; current: string; trace: string };
      expect(body.resolution).toEqual({ known: true, tenantId: 'harbor-law', source: 'host' });
      expect(body.current).toBe('harbor-law');
      const span = await eventually(() => serverSpanOf(body.trace));
      expect(span.attributes[TENANT_ATTRIBUTE]).toBe('harbor-law');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('fastifyTenantPlugin', () => {
  it('gives handlers the tenant, also after the body is read, and puts it on the server span', async () => {
    const app = Fastify();
    await app.register(fastifyTenantPlugin);
    app.post('/echo', async (request) => ({ resolution: tenantOf(request.raw), current: currentTenant(), trace: trace.getActiveSpan()?.spanContext().traceId, body: request.body }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const response = await app.inject({ method: 'POST', url: '/echo', headers: host, payload: { name: 'x' } });
      // inject() bypasses the socket: check the real path over HTTP as well.
      expect(response.json()).toMatchObject({ resolution: { known: true, tenantId: 'harbor-law' }, current: 'harbor-law' });
      const port = (app.server.address() as AddressInfo).port;
      const overHttp = await sendFromOutside(port, '/echo', { ...host, 'content-type': 'application/json', 'content-length': '2' }, 'POST', '{}');
      const body = JSON.parse(overHttp.body) as { current: string; trace: string };
      expect(body.current).toBe('harbor-law');
      const span = await eventually(() => serverSpanOf(body.trace));
      expect(span.attributes[TENANT_ATTRIBUTE]).toBe('harbor-law');
    } finally {
      await app.close();
    }
  });
});

describe('pino lines inside a request', () => {
  it('carry trace_id, span_id and tenant.id of the request', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const log = pino(pinoOptions({ level: 'info' }), sink);
    const app = await listen(
      tenantRequestHandler((_req, res) => {
        log.info('handling');
        res.end(trace.getActiveSpan()?.spanContext().traceId);
      }),
    );
    try {
      const response = await sendFromOutside(app.port, '/', host);
      const span = await eventually(() => serverSpanOf(response.body));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ msg: 'handling', trace_id: response.body, span_id: span.spanContext().spanId, 'tenant.id': 'harbor-law' });
      log.info('outside');
      expect(lines[1]).not.toHaveProperty('tenant.id');
      expect(lines[1]).not.toHaveProperty('trace_id');
    } finally {
      await app.close();
    }
  });
});
