import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { startPostgres, type PostgresServer } from './postgres.js';
import { startPrometheus, promtool } from './prometheus.js';
import { startRedis } from './redis.js';
import { freePort } from './free-port.js';
import { spawnSync } from 'node:child_process';

function sendPing(port: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (d) => {
      socket.destroy();
      resolve(d.toString());
    });
    socket.once('error', reject);
  });
}

describe('test harness', () => {
  describe('PostgreSQL', () => {
    let pg: PostgresServer;
    beforeAll(async () => {
      pg = await startPostgres();
    });
    afterAll(async () => {
      await pg?.stop();
    });

    it('answers SQL on its own port', () => {
      const psql = spawnSync('psql', [pg.url, '-tAc', 'select 40 + 2'], { encoding: 'utf8' });
      expect(psql.stderr).toBe('');
      expect(psql.stdout.trim()).toBe('42');
    });

    it('refuses connections once stopped', async () => {
      const other = await startPostgres();
      await other.stop();
      const psql = spawnSync('psql', [other.url, '-tAc', 'select 1'], { encoding: 'utf8' });
      expect(psql.status).not.toBe(0);
    });
  });

  it('starts a Redis server that answers PING and stops it', async () => {
    const redis = await startRedis();
    expect(await sendPing(redis.port)).toBe('+PONG\r\n');
    await redis.stop();
    await expect(sendPing(redis.port)).rejects.toThrow(/ECONNREFUSED/);
  });

  describe('Prometheus', () => {
    let target: Server;
    beforeAll(async () => {
      const port = await freePort();
      target = createServer((_req, res) => {
        res.setHeader('content-type', 'text/plain; version=0.0.4');
        res.end('# TYPE harness_up gauge\nharness_up{tenant_id="acme"} 1\n');
      });
      await new Promise<void>((r) => target.listen(port, '127.0.0.1', r));
    });
    afterAll(() => new Promise<void>((r) => target.close(() => r())));

    it('scrapes a target with the labels it was given', async () => {
      const address = target.address();
      if (!address || typeof address === 'string') throw new Error('no address');
      const prometheus = await startPrometheus({ scrapeTargets: [{ target: `127.0.0.1:${address.port}`, labels: { role: 'canary' } }] });
      try {
        let result: Array<{ metric: Record<string, string> }> = [];
        for (let i = 0; i < 50 && result.length === 0; i++) {
          const response = await fetch(`${prometheus.url}/api/v1/query?query=harness_up`);
          result = ((await response.json()) as { data: { result: typeof result } }).data.result;
          if (result.length === 0) await new Promise((r) => setTimeout(r, 200));
        }
        expect(result[0]?.metric).toMatchObject({ tenant_id: 'acme', role: 'canary' });
      } finally {
        await prometheus.stop();
      }
    });
  });

  it('runs promtool and reports a broken rule file as a failure', () => {
    const result = promtool(['check', 'rules', '/nonexistent/rules.yaml']);
    expect(result.status).not.toBe(0);
  });
});
