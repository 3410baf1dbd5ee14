/**
 * The gate `npm test` relies on: every stack the real app (stacks/main.ts, in a child
 * process) synthesizes from the example catalog has zero posture findings, and no file
 * of the output holds a secret value.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exampleCatalogDirectory, loadCatalog } from '@tenantry/catalog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesizeApp } from '../stacks/synthesize-app.js';
import { checkPosture, formatFinding } from './check-posture.js';
import type { StackJson } from './model.js';
import { secretStackRules } from './rules/secrets.js';
import { checkSynthOutput, productionStackPredicate, stackEnvironment } from './synth-output.js';

const work = mkdtempSync(join(tmpdir(), 'tenantry-posture-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the example catalog', () => {
  const outdir = join(work, 'out');

  beforeAll(() => {
    // An empty TENANTRY_ENV selects every environment.
    synthesizeApp({ catalogDirectory: exampleCatalogDirectory(), outdir, environment: '' });
  });

  it('synthesizes stacks of production and non-production environments', () => {
    const stacks = readdirSync(join(outdir, 'stacks'));
    expect(stacks).toEqual(expect.arrayContaining(['data-prod', 'data-staging', 'cluster-prod', 'edge-staging']));
  });

  it('has no posture finding in any stack', () => {
    const catalog = loadCatalog({ directory: exampleCatalogDirectory() });
    const findings = checkSynthOutput(outdir, productionStackPredicate(catalog), stackEnvironment(catalog));
    expect(findings.map(formatFinding)).toEqual([]);
  });

  it('writes no secret value into any file of the output', () => {
    const jsonFiles = readdirSync(outdir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile() && entry.name.endsWith('.json'));
    expect(jsonFiles.length).toBeGreaterThan(1);
    for (const entry of jsonFiles) {
      const json = JSON.parse(readFileSync(join(entry.parentPath, entry.name), 'utf8')) as StackJson;
      expect(checkPosture(json, { rules: secretStackRules, stackName: entry.name }).map(formatFinding)).toEqual([]);
    }
  });

  it('hands secrets to Terraform only as references: the Redis AUTH token and no database password', () => {
    const data = readFileSync(join(outdir, 'stacks', 'data-prod', 'cdk.tf.json'), 'utf8');
    const json = JSON.parse(data) as StackJson;
    const redis = Object.values(json.resource?.aws_elasticache_replication_group ?? {})[0];
    expect(redis?.auth_token).toMatch(/^\$\{random_password\.[A-Za-z0-9_]+\.result\}$/);
    expect(data).not.toMatch(/"master_password(_wo)?"/);
  });
});
