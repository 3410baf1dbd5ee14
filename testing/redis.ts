/** A throw-away redis-server for tests: free port on 127.0.0.1, no persistence. */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { startProcess, waitUntilReady, type ManagedProcess } from './processes.js';

export interface RedisServer {
  /** e.g. redis://127.0.0.1:63791 */
  readonly url: string;
  readonly port: number;
  /** Process id of redis-server, for fault tests that freeze it with SIGSTOP. */
  pid(): number;
  /** Stops the server, keeping its port, for outage tests. */
  halt(): Promise<void>;
  /** Starts a halted server again on the same port (empty: it keeps no data). */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

/** True when a Redis server answers PING on the port. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(1000);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export async function startRedis(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tenantry-redis-'));
  const port = await freePort();
  const launch = async (): Promise<ManagedProcess> => {
    const started = startProcess(process.env['REDIS_SERVER'] ?? 'redis-server', [
      '--port', String(port),
      '--bind', '127.0.0.1',
      '--save', '',
      '--appendonly', 'no',
      '--dir', dir,
      '--daemonize', 'no',
    ]);
    await waitUntilReady('redis-server', started, () => ping(port));
    return started;
  };
  let managed = await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid() {
      const pid = managed.child.pid;
      if (pid === undefined) throw new Error('redis-server has no process id (it did not start)');
      return pid;
    },
    async halt() {
      await managed.stop();
    },
    async resume() {
      managed = await launch();
    },
    async stop() {
      await managed.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
