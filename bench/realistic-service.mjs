// A handler that does what a real one does, for `npm run bench:telemetry`: about 2 ms
// of CPU (hashing, calibrated in CPU time, so a busy machine does not shorten it), a
// Redis read, and two queries in a tenant transaction set up the way the reference
// service does it (BEGIN and the RLS settings in one round trip, then COMMIT).
// The ratio on this service is closer to what users of @tenantry/telemetry will see than
// the one on the reference service, whose requests cost only ~0.35 ms of CPU.
// Plain JavaScript so that it runs under `node --import <telemetry>` like the service.
import { createServer } from 'node:http';
import { setHttpRoute, tenantOf, tenantRequestHandler } from '@tenantry/telemetry';
import { Redis } from 'ioredis';
import pg from 'pg';
import { calibrateHashRounds, hashRounds } from './realistic-handler-work.mjs';

// bench:telemetry passes one round count to every mode; run alone, the service calibrates itself.
const roundsPerRequest = process.env.BENCH_HANDLER_HASH_ROUNDS
  ? Number(process.env.BENCH_HANDLER_HASH_ROUNDS)
  : calibrateHashRounds(Number(process.env.BENCH_HANDLER_CPU_MS ?? 2));
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const redis = new Redis(process.env.REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
await redis.connect();

async function handle(request, response, tenantId) {
  setHttpRoute('/api/report');
  const digest = hashRounds(roundsPerRequest);
  const cached = await redis.get(`report:${tenantId}`);
  const client = await pool.connect();
  try {
    await client.query(`begin; select set_config('role', 'tenant_api', true), set_config('app.current_tenant', ${client.escapeLiteral(tenantId)}, true)`);
    const projects = await client.query('select id, name from projects order by created_at desc, id limit 20');
    const count = await client.query('select count(*) as count from projects');
    await client.query('commit');
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ digest, cached, projects: projects.rows.length, count: count.rows[0].count }));
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

const server = createServer(
  tenantRequestHandler((request, response) => {
    const tenant = tenantOf(request);
    if (!tenant?.known) {
      response.writeHead(404).end();
      return;
    }
    handle(request, response, tenant.tenantId).catch((error) => {
      process.stderr.write(`request failed: ${error.message}\n`);
      if (!response.headersSent) response.writeHead(500).end();
    });
  }),
);
server.listen(0, '127.0.0.1', () => process.stdout.write(`tenant-api listening on http://127.0.0.1:${server.address().port}\n`));
process.on('SIGTERM', () => {
  server.close();
  void Promise.allSettled([pool.end(), redis.quit()]).finally(() => process.exit(0));
});
