/**
 * `npm run synth` end to end, in a child process as a user runs it: a broken catalog
 * names every error with its file and field, exits non-zero and leaves the output
 * directory exactly as it was; a valid catalog replaces the output as a whole.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exampleCatalogDirectory } from '@tenantry/catalog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPOSITORY = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'tenantry-synth-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function npmRunSynth(catalogDirectory: string, outdir: string) {
  const { TENANTRY_ENV: _ignored, ...env } = process.env;
  return spawnSync('npm', ['run', '--silent', 'synth'], {
    cwd: REPOSITORY,
    encoding: 'utf8',
    env: { ...env, TENANTRY_CATALOG: catalogDirectory, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' },
  });
}

/** Every file under `directory`, relative, with its content. */
function snapshotTree(directory: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(directory, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      files[path.slice(directory.length + 1)] = readFileSync(path, 'utf8');
    }
  }
  return files;
}

describe('npm run synth with a broken catalog', () => {
  const catalog = join(work, 'broken-catalog');
  const outdir = join(work, 'broken-out');
  let result: ReturnType<typeof npmRunSynth>;
  let before: Record<string, string>;

  beforeAll(() => {
    cpSync(exampleCatalogDirectory(), catalog, { recursive: true, filter: (source) => !source.includes('/src') && !source.includes('node_modules') && !source.includes('/dist') });
    // A duplicate id: a second file claiming brightwave's id.
    writeFileSync(join(catalog, 'tenants', 'brightwave-copy.yaml'), 'id: brightwave\nname: Brightwave Copy\ntier: pooled\nplan: starter\n');
    // An invalid id (upper case and underscore), matching its file name.
    writeFileSync(join(catalog, 'tenants', 'Bad_Tenant.yaml'), 'id: Bad_Tenant\nname: Bad\ntier: pooled\nplan: starter\n');
    // A hostname already used by ledgerline.
    writeFileSync(join(catalog, 'tenants', 'copycat.yaml'), 'id: copycat\nname: Copycat\ntier: pooled\nplan: starter\ndomains:\n  custom:\n    prod: [portal.ledgerline-accounting.com]\n');
    // An unknown field (a typo of tier).
    writeFileSync(join(catalog, 'tenants', 'typo.yaml'), 'id: typo\nname: Typo Ltd\ntierr: dedicated\nplan: starter\n');
    // Output of an earlier, successful synth.
    mkdirSync(join(outdir, 'stacks', 'network-prod'), { recursive: true });
    writeFileSync(join(outdir, 'stacks', 'network-prod', 'cdk.tf.json'), '{"earlier": true}\n');
    before = snapshotTree(outdir);
    result = npmRunSynth(catalog, outdir);
  });

  it('exits non-zero', () => {
    expect(result.status).not.toBe(0);
  });

  it('names every error with its file and field', () => {
    expect(result.stderr).toMatch(/tenants\/brightwave(-copy)?\.yaml: id: "brightwave" is already used by tenants\/brightwave(-copy)?\.yaml/);
    expect(result.stderr).toMatch(/tenants\/Bad_Tenant\.yaml: id: /);
    expect(result.stderr).toMatch(/tenants\/(copycat|ledgerline)\.yaml: domains\.custom\.prod\[0\]: "portal\.ledgerline-accounting\.com" is already used/);
    expect(result.stderr).toMatch(/tenants\/typo\.yaml: tierr: is not a known field/);
    expect(result.stderr).toContain('Nothing was synthesized.');
  });

  it('leaves the output directory exactly as it was, with no partial output beside it', () => {
    expect(snapshotTree(outdir)).toEqual(before);
    expect(readdirSync(work).filter((name) => name.includes('partial'))).toEqual([]);
  });
});

describe('npm run synth with the example catalog', () => {
  const outdir = join(work, 'example-out');
  let result: ReturnType<typeof npmRunSynth>;

  beforeAll(() => {
    mkdirSync(join(outdir, 'stacks', 'tenant-gone-prod'), { recursive: true });
    writeFileSync(join(outdir, 'stacks', 'tenant-gone-prod', 'cdk.tf.json'), '{}\n');
    result = npmRunSynth(exampleCatalogDirectory(), outdir);
  });

  it('writes the four platform stacks of every environment', () => {
    expect(result.status, result.stderr).toBe(0);
    for (const env of ['prod', 'staging']) {
      for (const part of ['network', 'cluster', 'data', 'edge']) expect(existsSync(join(outdir, 'stacks', `${part}-${env}`, 'cdk.tf.json'))).toBe(true);
    }
    expect(result.stdout).toMatch(/Synthesized \d+ stacks \(prod, staging; 4 tenants\)/);
  });

  it('replaces the earlier output as a whole, so a removed stack does not linger', () => {
    expect(existsSync(join(outdir, 'stacks', 'tenant-gone-prod'))).toBe(false);
  });
});
