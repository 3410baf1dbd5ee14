/**
 * Every reader of the catalog goes through its one loader, so every reader accepts or
 * refuses the same catalog, with the same message (file, field and rule), no stack
 * trace and a non-zero exit. This runs each reader's command line as a user would.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CatalogValidationError, exampleCatalogDirectory, loadCatalog } from '@tenantry/catalog';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'tenantry-catalog-readers-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Reader {
  readonly name: string;
  /** Arguments to `node` (from the repository root) reading the catalog `catalog`. */
  readonly args: (catalog: string) => readonly string[];
  /** Exit status when the catalog is accepted. */
  readonly acceptedExit: number;
}

const tsx = (script: string, ...rest: string[]): string[] => ['--import', 'tsx', script, ...rest];
const READERS: readonly Reader[] = [
  { name: 'npm run synth', args: () => tsx('stacks/synth.ts'), acceptedExit: 0 },
  { name: 'npm run dashboards:build', args: () => tsx('dashboards/build.ts'), acceptedExit: 0 },
  { name: 'npm run loadtests:build', args: () => tsx('loadtests/build.ts'), acceptedExit: 0 },
  // Nothing listens on port 1: an accepted catalog gets as far as Prometheus, which is unreachable (exit 2).
  { name: 'tenantry-canary judge', args: (catalog) => ['canary/bin/tenantry-canary.js', 'judge', '--catalog', catalog, '--prometheus', 'http://127.0.0.1:1'], acceptedExit: 2 },
  { name: 'npm run posture', args: (catalog) => tsx('posture/cli.ts', join(catalog, 'empty-synth-output')), acceptedExit: 0 },
];

interface Outcome {
  readonly exit: number;
  readonly stderr: string;
}

function runReader(reader: Reader, catalog: string): Promise<Outcome> {
  const env = { ...process.env, TENANTRY_CATALOG: catalog, TENANTRY_ENV: 'staging', CDKTF_OUTDIR: join(catalog, 'cdktf.out') };
  return new Promise((done) => {
    execFile(process.execPath, reader.args(catalog), { cwd: root, env, timeout: 110_000 }, (error, _stdout, stderr) => {
      done({ exit: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stderr });
    });
  });
}

/** A small valid catalog (the example's environments and two tenants) and an empty synth output for posture, changed by `edit`. */
function catalogDirectory(name: string, edit: (directory: string) => void = () => {}): string {
  const directory = join(work, name);
  cpSync(join(exampleCatalogDirectory(), 'environments'), join(directory, 'environments'), { recursive: true });
  mkdirSync(join(directory, 'tenants'));
  mkdirSync(join(directory, 'empty-synth-output', 'stacks'), { recursive: true });
  for (const id of ['brightwave', 'ledgerline']) cpSync(join(exampleCatalogDirectory(), 'tenants', `${id}.yaml`), join(directory, 'tenants', `${id}.yaml`));
  edit(directory);
  return directory;
}

/** The loader's own message for a catalog it refuses. */
function loaderMessage(directory: string): string {
  try {
    loadCatalog({ directory });
  } catch (error) {
    if (error instanceof CatalogValidationError) return error.message;
    throw error;
  }
  throw new Error(`${directory} was expected to be refused by the loader`);
}

const tenantFile = (directory: string, id: string): string => join(directory, 'tenants', `${id}.yaml`);

const BROKEN: ReadonlyArray<{ readonly rule: string; readonly edit: (directory: string) => void; readonly issues: readonly string[] }> = [
  {
    rule: 'an availability objective whose page alert could never fire',
    edit: (d) => appendFileSync(tenantFile(d, 'brightwave'), 'slo:\n  availability: 0.9\n'),
    issues: ['tenants/brightwave.yaml: slo.availability: availability objective 0.9'],
  },
  {
    rule: 'a latency budget that cannot be a bucket boundary',
    edit: (d) => appendFileSync(tenantFile(d, 'brightwave'), 'slo:\n  p95LatencyMs: 150.5\n'),
    issues: ['tenants/brightwave.yaml: slo.p95LatencyMs: must be a whole number of milliseconds'],
  },
  {
    rule: 'a duplicate tenant id and an exceeded quota',
    edit: (d) => {
      writeFileSync(tenantFile(d, 'brightwave-copy'), readFileSync(tenantFile(d, 'brightwave'), 'utf8'));
      // ledgerline and second-schema are schema-tier: two RDS Proxy secrets against a quota of one.
      appendFileSync(join(d, 'environments', 'staging.yaml'), 'quotas:\n  rdsProxySecretsPerProxy: 1\n');
      writeFileSync(tenantFile(d, 'second-schema'), 'id: second-schema\nname: Second schema\ntier: schema\nplan: starter\n');
    },
    issues: [
      'tenants/brightwave.yaml: id: "brightwave" is already used by tenants/brightwave-copy.yaml',
      'environments/staging.yaml: quotas.rdsProxySecretsPerProxy: RDS Proxy secrets per proxy: the catalog needs 3, the quota is 1',
    ],
  },
];

describe('every reader of the catalog', () => {
  describe.each(BROKEN)('refuses $rule', ({ rule, edit, issues }) => {
    const directory = catalogDirectory(rule.replaceAll(' ', '-'), edit);
    const message = loaderMessage(directory);

    it('with the loader message naming the file, field and rule, no stack trace, and a non-zero exit', async () => {
      for (const issue of issues) expect(message).toContain(issue);
      const outcomes = await Promise.all(READERS.map((reader) => runReader(reader, directory)));
      READERS.forEach((reader, index) => {
        const outcome = outcomes[index]!;
        expect({ reader: reader.name, refused: outcome.exit !== 0, message: outcome.stderr.includes(message) }).toEqual({ reader: reader.name, refused: true, message: true });
        expect(outcome.stderr, reader.name).not.toMatch(/^\s+at /m);
      });
    });
  });

  it('accepts a valid catalog', async () => {
    const directory = catalogDirectory('valid');
    const outcomes = await Promise.all(READERS.map((reader) => runReader(reader, directory)));
    READERS.forEach((reader, index) => {
      const outcome = outcomes[index]!;
      expect({ reader: reader.name, exit: outcome.exit, stderr: outcome.stderr.includes('tenant catalog') }).toEqual({ reader: reader.name, exit: reader.acceptedExit, stderr: false });
    });
  });
});
