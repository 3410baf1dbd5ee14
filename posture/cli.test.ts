/** `npm run posture` as CI runs it: findings printed with rule, stack, address and fix; exit 1 on any. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sarifSchemaErrors } from '../testing/sarif-schema.js';

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

  it('refuses a directory that holds no synthesized stacks with exit 2, naming it', () => {
    const empty = mkdtempSync(join(tmpdir(), 'tenantry-posture-empty-'));
    expect(runPosture(empty)).toMatchObject({ status: 2, stderr: expect.stringContaining(`${empty} holds no stacks/ folder`) });
    rmSync(empty, { recursive: true, force: true });
  });

  it('explains its usage with --help, and refuses a malformed date with exit 2', () => {
    expect(runPosture('--help')).toMatchObject({ status: 0, stdout: expect.stringContaining('usage: npm run posture') });
    expect(runPosture('--today', 'next-week')).toMatchObject({ status: 2, stderr: expect.stringContaining('--today needs a date as YYYY-MM-DD') });
  });
});

interface SarifResult {
  ruleId: string;
  level: string;
  locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } }; properties: Record<string, string> }[];
}
interface SarifLog {
  runs: { tool: { driver: { rules: { id: string; help: { text: string } }[] } }; results: SarifResult[] }[];
}

/** The 1-based line of `file` holding `text`. */
const lineOf = (file: string, text: string): number => readFileSync(join(REPOSITORY, file), 'utf8').split('\n').findIndex((line) => line.includes(text)) + 1;

describe('npm run posture -- --format sarif', () => {
  const cluster = { deletion_protection: false, '//': { metadata: { path: 'data-prod/SharedAurora/Cluster', uniqueId: 'SharedAurora_Cluster_1' } } };
  const outdir = outputWith({ 'data-prod': { resource: { aws_rds_cluster: { SharedAurora_Cluster_1: cluster }, aws_kms_key: { loose: { enable_key_rotation: false } } } } });
  const run = runPosture(outdir, '--format', 'sarif');
  const log = JSON.parse(run.stdout) as SarifLog;
  const results = log.runs[0]?.results ?? [];

  it('writes SARIF 2.1.0 that the official schema accepts, and exits 1 on findings', () => {
    expect(run.status, run.stderr).toBe(1);
    expect(sarifSchemaErrors(log)).toEqual([]);
  });

  it('locates a finding at the line of TypeScript that created the resource, following the construct path', () => {
    const result = results.find((r) => r.ruleId === 'CKV_AWS_139');
    expect(result?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('constructs/aurora.ts');
    expect(result?.locations[0]?.physicalLocation.region?.startLine).toBe(lineOf('constructs/aurora.ts', "new RdsCluster(this, 'Cluster'"));
    expect(result?.locations[0]?.properties).toMatchObject({ constructPath: 'data-prod/SharedAurora/Cluster', jsonPointer: '/resource/aws_rds_cluster/SharedAurora_Cluster_1', stack: 'data-prod' });
  });

  it('falls back to the synthesized file, its line and a JSON pointer when the resource has no construct path', () => {
    const result = results.find((r) => r.ruleId === 'CKV_AWS_7');
    const uri = result?.locations[0]?.physicalLocation.artifactLocation.uri ?? '';
    expect(uri).toMatch(/^file:\/\/.*\/stacks\/data-prod\/cdk\.tf\.json$/);
    expect(result?.locations[0]?.properties.jsonPointer).toBe('/resource/aws_kms_key/loose');
  });

  it('describes every posture rule with its fix and the checkov / cdk-nag ids of the same control', () => {
    const rule = log.runs[0]?.tool.driver.rules.find((r) => r.id === 'CKV_AWS_96');
    expect(rule?.help.text).toBe('Fix: set storage_encrypted = true (AuroraPostgres does)\nSame control: checkov CKV_AWS_96, cdk-nag AwsSolutions-RDS2, Trivy AVD-AWS-0079');
  });

  it('rejects an unknown format with exit 2', () => {
    const bad = runPosture(outdir, '--format', 'xml');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--format must be text or sarif, got "xml"');
  });
});
