/**
 * What @tenantry/telemetry costs a bare node:http service per request, in one run,
 * three ways: no telemetry (OTEL_SDK_DISABLED), plain auto-instrumentations-node
 * defaults, and Tenantry. Prints requests/s and latency percentiles with each one's
 * ratio to the run without telemetry. (The reference service with PostgreSQL and
 * Redis has its own benchmark: npm run bench:telemetry.)
 *
 *   npm run bench:telemetry-overhead [-- --seconds 5 --connections 50 --rounds 2]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { freePort } from '../../testing/free-port.js';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '5' }, connections: { type: 'string', default: '50' }, rounds: { type: 'string', default: '2' } },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const connections = Number(values.connections);
const here = (name: string): string => fileURLToPath(new URL(`./${name}`, import.meta.url));
const repository = fileURLToPath(new URL('../../', import.meta.url));

interface Mode {
  readonly name: string;
  readonly preload: string[];
  readonly env: Record<string, string>;
}

const modes: Mode[] = [
  { name: 'no telemetry (OTEL_SDK_DISABLED)', preload: [], env: { OTEL_SDK_DISABLED: 'true' } },
  { name: 'plain auto-instrumentations', preload: ['--import', here('plain.mjs')], env: {} },
  { name: '@tenantry/telemetry', preload: ['--import', here('tenantry.mjs')], env: {} },
];

async function start(mode: Mode): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...mode.preload, here('server.mjs')], {
    cwd: repository,
    env: { ...process.env, ...mode.env, PORT: String(port), METRICS_PORT: String(await freePort()), TENANTRY_ENV: 'staging' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${mode.name}: server exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
  });
  return { child, port };
}

async function measure(port: number, duration: number): Promise<autocannon.Result> {
  return autocannon({ url: `http://127.0.0.1:${port}/`, connections, duration, headers: { host: 'northwind.staging.tenantry.app' } });
}

interface Row {
  readonly name: string;
  readonly rps: number;
  readonly p50: number;
  readonly p97_5: number;
  readonly p99: number;
}

// The machine is shared: modes take turns for several rounds, and each keeps its best
// round, so a burst of someone else's load does not decide the comparison.
const best = new Map<string, Row>();
for (let round = 0; round < rounds; round += 1) {
  for (const mode of modes) {
    const { child, port } = await start(mode);
    await measure(port, 2); // warm-up: JIT and connection set-up
    const result = await measure(port, seconds);
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${mode.name}: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
    const row = { name: mode.name, rps: result.requests.average, p50: result.latency.p50, p97_5: result.latency.p97_5, p99: result.latency.p99 };
    if ((best.get(mode.name)?.rps ?? 0) < row.rps) best.set(mode.name, row);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}
const rows = modes.map((m) => best.get(m.name)!);

const base = rows[0]!;
const ratio = (value: number, reference: number): string => (reference === 0 ? 'n/a' : `${(value / reference).toFixed(2)}x`);
console.log(`node:http + tenant resolution + 1 custom span, ${connections} connections, best of ${rounds} rounds of ${seconds} s per mode (autocannon reports p97.5, not p95)`);
console.log('| mode | req/s | ratio | p50 ms | p97.5 ms | ratio | p99 ms | ratio |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.name} | ${r.rps.toFixed(0)} | ${ratio(r.rps, base.rps)} | ${r.p50} | ${r.p97_5} | ${ratio(r.p97_5, base.p97_5)} | ${r.p99} | ${ratio(r.p99, base.p99)} |`);
}
