// Loaded into the reference service by `BENCH_AB_PARTS=… npm run bench:telemetry`
// (after @tenantry/telemetry/register): switches the named instrumentations' patches
// off and on every TENANTRY_AB_PERIOD_MS while the service is under load, and counts
// the service's CPU time and requests in each phase. Both phases share the process,
// its warm-up and the machine's load of the same second, so the difference between
// them is the instrumentations' cost per request with the load's drift cancelled,
// which separate services measured minutes apart cannot give on a shared machine.
// Writes { on: {cpuMicroseconds, requests}, off: {…} } to TENANTRY_AB_OUT at exit.
// Plain JavaScript: it runs under `node --import` like the service.
import { subscribe } from 'node:diagnostics_channel';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';

const parts = (process.env.TENANTRY_AB_PARTS ?? '').split(',').filter((p) => p !== '');
const periodMs = Number(process.env.TENANTRY_AB_PERIOD_MS ?? 250);
/** Not counted after the first request: the JIT warms up with everything patched in. */
const warmUpMs = Number(process.env.TENANTRY_AB_WARM_UP_MS ?? 2000);
const out = process.env.TENANTRY_AB_OUT;
// The packages as the service resolves them.
const requireFromService = createRequire(process.env.TENANTRY_AB_REQUIRE_FROM ?? import.meta.url);

/** Where each part's patch sits: the object and the method its instrumentation wraps. */
const TARGETS = {
  http: () => [http.Server.prototype, 'emit'],
  pg: () => [requireFromService('pg').Client.prototype, 'query'],
  ioredis: () => [requireFromService('ioredis').prototype, 'sendCommand'],
};

const totals = { on: { cpuMicroseconds: 0, requests: 0 }, off: { cpuMicroseconds: 0, requests: 0 } };
let requests = 0;
subscribe('http.server.request.start', () => {
  requests++;
  if (timer === undefined) start();
});

let timer;
function start() {
  // Captured at the first request: by then every instrumentation has patched its module.
  const switches = parts.map((part) => {
    const target = TARGETS[part];
    if (target === undefined) throw new Error(`TENANTRY_AB_PARTS names "${part}": use ${Object.keys(TARGETS).join(', ')}`);
    const [object, method] = target();
    const wrapped = object[method];
    const original = wrapped.__original;
    if (typeof original !== 'function') throw new Error(`${part}: ${method} is not wrapped by an instrumentation (is telemetry on?)`);
    return (on) => {
      object[method] = on ? wrapped : original;
    };
  });
  let phase = 'on';
  let cpuAt = process.cpuUsage();
  let requestsAt = requests;
  const countFrom = Date.now() + warmUpMs;
  timer = setInterval(() => {
    const cpu = process.cpuUsage(cpuAt);
    if (Date.now() > countFrom) {
      totals[phase].cpuMicroseconds += cpu.user + cpu.system;
      totals[phase].requests += requests - requestsAt;
    }
    phase = phase === 'on' ? 'off' : 'on';
    for (const set of switches) set(phase === 'on');
    cpuAt = process.cpuUsage();
    requestsAt = requests;
  }, periodMs);
  timer.unref();
}

process.on('exit', () => {
  if (out !== undefined) writeFileSync(out, JSON.stringify({ parts, periodMs, ...totals }));
});
