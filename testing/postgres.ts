/**
 * A throw-away PostgreSQL server for tests: initdb into a temporary directory, a free
 * port on 127.0.0.1, trust authentication on loopback. `initdb` and `postgres` refuse to
 * run as root, so as root (CI) they run as the `postgres` user on a directory it owns.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

export interface PostgresServer {
  /** Superuser connection URL, e.g. postgres://postgres@127.0.0.1:54321/postgres */
  readonly url: string;
  readonly port: number;
  /** URL of another database on the same server. */
  urlFor(database: string, user?: string, password?: string): string;
  /**
   * Process ids of the server: the postmaster and every child (backends included), for
   * fault tests that freeze the whole server with SIGSTOP.
   */
  pids(): number[];
  /** Stops the server (`pg_ctl stop -m fast`), keeping its data, for outage tests. */
  halt(): Promise<void>;
  /** Starts a halted server again on the same port and data. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

/** Directory holding initdb/pg_ctl: $PG_BIN, the newest /usr/lib/postgresql/N/bin, or PATH. */
function postgresBinDirectory(): string {
  if (process.env['PG_BIN']) return process.env['PG_BIN'];
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, 'bin', 'pg_ctl')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  return '';
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL binary, as the postgres user when we are root. */
function pgCommand(binary: string, args: readonly string[]): [string, string[]] {
  const dir = postgresBinDirectory();
  const path = dir ? join(dir, binary) : binary;
  return isRoot ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, [...args]];
}

function run(binary: string, args: readonly string[]): void {
  const [command, commandArgs] = pgCommand(binary, args);
  const result = spawnSync(command, commandArgs, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${binary} ${args.join(' ')} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
}

function runAsync(binary: string, args: readonly string[]): Promise<void> {
  const [command, commandArgs] = pgCommand(binary, args);
  return new Promise((resolve, reject) => {
    execFile(command, commandArgs, { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${binary} ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`));
      else resolve();
    });
  });
}

export async function startPostgres(): Promise<PostgresServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tenantry-pg-'));
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dataDir, uid, gid);
  }
  const port = await freePort();
  run('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const options = [
    `-p ${port}`,
    `-k ${dataDir}`,
    "-c listen_addresses='127.0.0.1'",
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=200',
  ].join(' ');
  const serverStartArgs = ['-D', dataDir, '-o', options, '-l', join(dataDir, 'server.log'), '-w', '-t', '60', 'start'];
  run('pg_ctl', serverStartArgs);

  let stopped = false;
  const stopSync = (): void => {
    if (stopped) return;
    stopped = true;
    const [command, commandArgs] = pgCommand('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
    spawnSync(command, commandArgs, { encoding: 'utf8' });
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.once('exit', stopSync);

  const urlFor = (database: string, user = 'postgres', password?: string): string =>
    `postgres://${encodeURIComponent(user)}${password ? `:${encodeURIComponent(password)}` : ''}@127.0.0.1:${port}/${database}`;
  return {
    url: urlFor('postgres'),
    port,
    urlFor,
    pids() {
      const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n', 1)[0]);
      const children = spawnSync('pgrep', ['-P', String(postmaster)], { encoding: 'utf8' }).stdout.split('\n').filter((line) => line !== '').map(Number);
      return [postmaster, ...children];
    },
    // Asynchronous, so requests a test has in flight keep their own timing meanwhile.
    halt: () => runAsync('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']),
    resume: () => runAsync('pg_ctl', serverStartArgs),
    async stop() {
      stopSync();
      process.removeListener('exit', stopSync);
    },
  };
}
