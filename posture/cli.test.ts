/** `npm run posture` as CI runs it: findings printed with rule, stack, address and fix; exit 1 on any. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const REPOSITORY = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'tenantry-posture-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function outputWith(stacks: Record<string, object>): string {
  const outdir = join(work, `out-${Object.keys(stacks).join('-')}`);
  for (const [name, json] of Object.entries(stacks)) {
    mkdirSync(join(outdir, 'stacks', name), { recursive: true });
    writeFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(json));
  }
  return outdir;
}

const runPosture = (outdir: string) => spawnSync(process.execPath, ['--import', 'tsx', join(REPOSITORY, 'posture', 'cli.ts'), outdir], { cwd: REPOSITORY, encoding: 'utf8' });

describe('npm run posture', () => {
  it('prints each finding with rule, stack, address and fix, and exits 1', () => {
    const result = runPosture(outputWith({ 'data-prod': { resource: { aws_kms_key: { unrotated: { enable_key_rotation: false } } } } }));
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('CKV_AWS_7  data-prod  aws_kms_key.unrotated');
    expect(result.stdout).toContain('fix: set enable_key_rotation = true');
  });

  it('applies production-only rules to stacks of production environments of the catalog', () => {
    const cluster = { aws_rds_cluster: { db: { deletion_protection: false } } };
    const result = runPosture(outputWith({ 'data-prod': { resource: cluster }, 'data-staging': { resource: cluster } }));
    expect(result.stdout).toMatch(/CKV_AWS_139 {2}data-prod/);
    expect(result.stdout).not.toMatch(/CKV_AWS_139 {2}data-staging/);
  });

  it('exits 0 when no stack has a finding', () => {
    const result = runPosture(
      outputWith({ 'edge-prod': { terraform: { required_version: '>= 1.11.0' }, resource: { cloudflare_zone_setting: { tls: { setting_id: 'min_tls_version', value: '1.2' } } } } }),
    );
    expect(result.status, result.stdout).toBe(0);
    expect(result.stdout).toContain('no findings');
  });
});
