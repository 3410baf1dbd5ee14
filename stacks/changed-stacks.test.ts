import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const REPOSITORY = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'changed-stacks-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A cdktf output directory holding `stacks` (name → cdk.tf.json text). */
function outdir(name: string, stacks: Record<string, string>): string {
  const directory = join(work, name);
  for (const [stack, text] of Object.entries(stacks)) {
    mkdirSync(join(directory, 'stacks', stack), { recursive: true });
    writeFileSync(join(directory, 'stacks', stack, 'cdk.tf.json'), text);
  }
  return directory;
}

function changedStacks(...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(REPOSITORY, 'stacks', 'changed-stacks.ts'), ...args], { cwd: REPOSITORY, encoding: 'utf8' });
}

describe('npm run changed-stacks', () => {
  const base = outdir('base', { 'data-prod': '{"a":1}', 'tenant-a-prod': '{"a":1}', 'tenant-b-prod': '{"b":1}', 'tenant-gone-prod': '{}' });
  const head = outdir('head', { 'data-prod': '{"a":1}', 'tenant-a-prod': '{"a":2}', 'tenant-b-prod': '{"b":1}', 'tenant-new-prod': '{}' });

  it('prints the added and changed stacks, one per line, and only those', () => {
    const result = changedStacks('--base', base, '--head', head);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('tenant-a-prod\ntenant-new-prod\n');
  });

  it('warns about removed stacks on stderr', () => {
    expect(changedStacks('--base', base, '--head', head).stderr).toContain('removed: tenant-gone-prod');
  });

  it('prints every kind of change as JSON with --json', () => {
    const result = changedStacks('--base', base, '--head', head, '--json');
    expect(JSON.parse(result.stdout)).toEqual({ added: ['tenant-new-prod'], removed: ['tenant-gone-prod'], changed: ['tenant-a-prod'] });
  });

  it('fails with its usage when --base is missing', () => {
    const result = changedStacks('--head', head);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('usage: npm run changed-stacks -- --base');
  });
});
