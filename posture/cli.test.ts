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

const runPosture = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(REPOSITORY, 'posture', 'cli.ts'), ...args], { cwd: REPOSITORY, encoding: 'utf8' });

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

  it('checks the EKS support calendar for the day --today names, naming the end date', () => {
    const cluster = { terraform: { required_version: '>= 1.11.0' }, resource: { aws_eks_cluster: { eks: { version: '1.35' } } } };
    const outdir = outputWith({ 'cluster-staging': cluster });
    expect(runPosture(outdir, '--today', '2027-03-26').stdout).not.toContain('TENANTRY_EKS_STANDARD_SUPPORT');
    const later = runPosture(outdir, '--today', '2027-03-27');
    expect(later.status).toBe(1);
    expect(later.stdout).toContain('left EKS standard support on 2027-03-27');
  });

  it('explains its usage with --help, and refuses a malformed date with exit 2', () => {
    expect(runPosture('--help')).toMatchObject({ status: 0, stdout: expect.stringContaining('usage: npm run posture') });
    expect(runPosture('--today', 'next-week')).toMatchObject({ status: 2, stderr: expect.stringContaining('--today needs a date as YYYY-MM-DD') });
  });
});
