import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../testing/free-port.js';
import { LABEL_TENANT, PROMETHEUS_DURATION_BUCKET, TENANT_ATTRIBUTE } from '@tenantry/conventions';
import { closeClient, send } from './testing/requests.js';

const repository = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name: string): string => fileURLToPath(new URL(`./testing/fixtures/${name}`, import.meta.url));

interface OtlpSpan {
  readonly name: string;
  readonly kind: number;
  readonly attributes: { readonly key: string; readonly value: { readonly stringValue?: string } }[];
}
interface OtlpExport {
  readonly resourceSpans: {
    readonly resource: { readonly attributes: { readonly key: string; readonly value: { readonly stringValue?: string } }[] };
    readonly scopeSpans: { readonly spans: OtlpSpan[] }[];
  }[];
}

/** An OTLP/HTTP JSON receiver: keeps every trace export it is sent. */
let receiver: Server;
let receiverPort: number;
const exports: OtlpExport[] = [];

beforeAll(async () => {
  // The spawned services load the built package.
  const build = spawnSync('npx', ['tsc', '-b', 'telemetry'], { cwd: repository, encoding: 'utf8' });
  expect(build.status, build.stdout + build.stderr).toBe(0);
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.url === '/v1/traces') exports.push(JSON.parse(body) as OtlpExport);
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverPort = (receiver.address() as AddressInfo).port;
});

afterAll(async () => {
  closeClient();
  await new Promise((resolve) => receiver.close(resolve));
});

function attribute(list: OtlpExport['resourceSpans'][number]['resource']['attributes'], key: string): string | undefined {
  return list.find((a) => a.key === key)?.value.stringValue;
}

async function startService(file: string, serviceName: string, env: Record<string, string>): Promise<{ child: ChildProcess; lines: Record<string, unknown>[]; stderr: () => string }> {
  const child = spawn(process.execPath, ['--import', '@tenantry/telemetry/register', fixture(file)], {
    cwd: repository,
    env: {
      PATH: process.env.PATH,
      TENANTRY_ENV: 'staging',
      OTEL_SERVICE_NAME: serviceName,
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiverPort}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      // Spans leave only when shutdown flushes them: SIGTERM must flush.
      OTEL_BSP_SCHEDULE_DELAY: '600000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  let buffered = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code} before it was ready: ${stderr}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const part of parts) {
        const line = JSON.parse(part) as Record<string, unknown>;
        lines.push(line);
        if (line.ready === true) resolve();
      }
    });
  });
  return { child, lines, stderr: () => stderr };
}

describe.each([
  { file: 'app.cjs', moduleSystem: 'CommonJS' },
  { file: 'app.mjs', moduleSystem: 'ES module' },
])('node --import @tenantry/telemetry/register with a $moduleSystem app', ({ file }) => {
  it('instruments http and pino, puts the tenant on spans, metric and log lines, and flushes on SIGTERM', async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    const serviceName = `fixture-${file.replace('.', '-')}`;
    const service = await startService(file, serviceName, { PORT: String(port), TENANTRY_PROMETHEUS_PORT: String(metricsPort) });

    const response = await send(port, '/', { host: 'brightwave.staging.tenantry.app' });
    expect(response.body).toBe('brightwave');

    const metrics = await send(metricsPort, '/metrics');
    expect(metrics.body).toMatch(new RegExp(`^${PROMETHEUS_DURATION_BUCKET}\\{[^}]*${LABEL_TENANT}="brightwave"[^}]*le="0.2"`, 'm'));

    // Written by the pino instrumentation: the ESM loader hook reached pino in the ES-module app.
    const log = service.lines.find((l) => l.msg === 'request');
    expect(log, service.stderr()).toMatchObject({ [TENANT_ATTRIBUTE]: 'brightwave', trace_id: expect.stringMatching(/^[0-9a-f]{32}$/) });

    const exited = new Promise<number | null>((resolve) => service.child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
    service.child.kill('SIGTERM');
    expect(await exited).toBe(143);

    const ours = exports.flatMap((e) => e.resourceSpans).filter((r) => attribute(r.resource.attributes, 'service.name') === serviceName);
    expect(ours.length).toBeGreaterThan(0);
    expect(attribute(ours[0]!.resource.attributes, 'deployment.environment.name')).toBe('test');
    const spans = ours.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    const server = spans.find((s) => s.kind === 2);
    expect(server, JSON.stringify(spans.map((s) => s.name))).toBeDefined();
    expect(attribute(server!.attributes, TENANT_ATTRIBUTE)).toBe('brightwave');
  });
});

describe('node --import @tenantry/telemetry/register with an app that handles SIGTERM itself', () => {
  it('lets the app\'s own once-handler drain and exit, instead of exiting 143 after the flush', async () => {
    const port = await freePort();
    const service = await startService('graceful-app.mjs', 'fixture-graceful', { PORT: String(port), TENANTRY_PROMETHEUS_PORT: String(await freePort()) });
    expect((await send(port, '/', { host: 'brightwave.staging.tenantry.app' })).body).toBe('brightwave');

    const exited = new Promise<number | null>((resolve) => service.child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))));
    service.child.kill('SIGTERM');
    expect(await exited, service.stderr()).toBe(0);
    expect(service.lines).toContainEqual({ drained: true });
  });
});
