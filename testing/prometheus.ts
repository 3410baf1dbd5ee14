/**
 * A throw-away Prometheus server for tests: scrapes the given targets at a short
 * interval, evaluates the given rule files, and answers its HTTP API on a free port.
 * `promtool` runs the Debian package's promtool.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from './free-port.js';
import { startProcess, waitUntilReady } from './processes.js';

export interface ScrapeTarget {
  /** host:port, e.g. 127.0.0.1:9464 */
  readonly target: string;
  /** Labels added to every series scraped from this target (e.g. role="canary"). */
  readonly labels?: Readonly<Record<string, string>>;
  /** @default '/metrics' */
  readonly metricsPath?: string;
}

export interface PrometheusOptions {
  readonly scrapeTargets: readonly ScrapeTarget[];
  /** Absolute paths of rule files to load. */
  readonly ruleFiles?: readonly string[];
  /** Scrape and rule-evaluation interval. @default 1 */
  readonly scrapeIntervalSeconds?: number;
}

export interface PrometheusServer {
  /** Base URL, e.g. http://127.0.0.1:19090 */
  readonly url: string;
  readonly port: number;
  /** Re-reads the configuration and rule files (POST /-/reload). */
  reload(): Promise<void>;
  stop(): Promise<void>;
}

function configFor(options: PrometheusOptions): string {
  const interval = `${options.scrapeIntervalSeconds ?? 1}s`;
  return stringify({
    global: { scrape_interval: interval, evaluation_interval: interval, scrape_timeout: interval },
    rule_files: options.ruleFiles ?? [],
    scrape_configs: options.scrapeTargets.map((t, index) => ({
      job_name: `target-${index}`,
      metrics_path: t.metricsPath ?? '/metrics',
      static_configs: [{ targets: [t.target], labels: t.labels ?? {} }],
    })),
  });
}

export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tenantry-prometheus-'));
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, configFor(options));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const managed = startProcess(process.env['PROMETHEUS'] ?? 'prometheus', [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--web.enable-lifecycle',
    '--log.level=warn',
  ]);
  await waitUntilReady('prometheus', managed, async () => (await fetch(`${url}/-/ready`)).ok, 60_000);
  return {
    url,
    port,
    async reload() {
      const response = await fetch(`${url}/-/reload`, { method: 'POST' });
      if (!response.ok) throw new Error(`prometheus reload failed: ${response.status} ${await response.text()}`);
    },
    async stop() {
      await managed.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PromtoolResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `promtool <args>` (e.g. ['check', 'rules', file]) and returns its exit status and output. */
export function promtool(args: readonly string[]): PromtoolResult {
  const result = spawnSync(process.env['PROMTOOL'] ?? 'promtool', args, { encoding: 'utf8' });
  if (result.error) throw new Error(`promtool could not be run (${result.error.message}); install the Debian package prometheus`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
