import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES, HELP, run } from './cli.js';
import { expectGolden } from '../../testing/golden.js';

/** Golden files: test data beside the package, outside its shipped sources. */
const GOLDEN = fileURLToPath(new URL('../testdata/golden/', import.meta.url));

async function cli(args: readonly string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await run(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), now: () => new Date('2026-05-01T12:00:00Z') });
  return { status, stdout, stderr };
}

describe('tenantry-canary judge --help', () => {
  it('prints the documented help (golden) and exits 0', async () => {
    const { status, stdout } = await cli(['judge', '--help']);
    expect(status).toBe(0);
    expectGolden(GOLDEN, 'help.txt', stdout);
  });

  it('documents one distinct exit status per outcome', () => {
    expect(new Set(Object.values(EXIT_CODES)).size).toBe(4);
    for (const [outcome, code] of Object.entries(EXIT_CODES)) expect(HELP).toMatch(new RegExp(`^  ${code}\\s+${outcome}`, 'm'));
  });
});

describe('usage errors exit 64 and say what is wrong', () => {
  it.each([
    [['judge', '--windw', '5m'], /Unknown option '--windw'/],
    [['judge', '--end', 'yesterday'], /--end "yesterday" is neither RFC 3339 .* nor unix seconds/],
    [['judge', '--canary', 'role=canary'], /--canary: cannot parse label matchers "role=canary"/],
    [['judge', '--format', 'html'], /--format "html" must be one of text, json, markdown/],
    [['judge', '--alpha', '2'], /--alpha "2" must be a number between 0 and 0.5/],
    [['judge', '--procedure', 'bonferroni'], /--procedure "bonferroni" must be one of holm, benjamini-hochberg/],
    [['judge', '--catalog', '/nonexistent/catalog'], /catalog/],
    [['promote'], /unknown command "promote"/],
    [['judge', '--since', '2026-05-01T12:10:00Z', '--end', '2026-05-01T12:00:00Z'], /--since 2026-05-01T12:10:00.000Z is not before the end of the range/],
    [['judge', '--canary-pod-template-hash', 'Bad-Hash'], /pod-template hash "Bad-Hash" must be lowercase letters and digits/],
  ])('%j', async (args, message) => {
    const { status, stderr, stdout } = await cli(args);
    expect(status).toBe(EXIT_CODES.usage);
    expect(stderr).toMatch(message);
    expect(stdout).toBe('');
  });
});

describe('when Prometheus cannot be reached', () => {
  it('exits 2 (continue, never promote) and names the server it could not reach (golden)', async () => {
    const { status, stdout } = await cli(['judge', '--prometheus', 'http://127.0.0.1:9', '--end', '1777636800']);
    expect(status).toBe(EXIT_CODES.continue);
    // The cause in parentheses comes from Node's fetch and varies between versions.
    expectGolden(GOLDEN, 'unreachable.txt', stdout.replace(/is unreachable \([^)]*\)/, 'is unreachable (…)'));
  });
});
