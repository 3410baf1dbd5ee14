/**
 * The GitHub Actions canary workflow: parsed, and checked for the contract the docs
 * promise (k6 canary profile while the Rollout's own analysis judges, no second judge,
 * the final look's report to the job summary, failure unless the Rollout is healthy).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EXIT_CODES } from './cli.js';

interface Step {
  readonly name?: string;
  readonly run?: string;
  readonly if?: string;
}
interface Workflow {
  readonly jobs: { readonly canary: { readonly steps: readonly Step[] } };
}

const file = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.github', 'workflows', 'canary.yml');
const steps = (parse(readFileSync(file, 'utf8')) as Workflow).jobs.canary.steps;
const step = (pattern: RegExp): Step => {
  const found = steps.find((s) => s.run !== undefined && pattern.test(s.run));
  if (!found) throw new Error(`no step runs ${pattern}`);
  return found;
};

describe('.github/workflows/canary.yml', () => {
  it('deploys the canary with kubectl argo rollouts set image before waiting for it', () => {
    const deploy = steps.indexOf(step(/kubectl argo rollouts set image/));
    expect(deploy).toBeLessThan(steps.indexOf(step(/kubectl argo rollouts status/)));
  });

  it("runs the k6 canary profile for the window while the Rollout's analysis judges", () => {
    const gate = step(/kubectl argo rollouts status/).run!;
    expect(gate).toMatch(/k6 run -e PROFILE=canary -e DURATION="\$WINDOW".*&$/m);
    expect(gate).toMatch(/kubectl argo rollouts status "\$ROLLOUT" .*--timeout/);
  });

  it('judges only once, for the report: one gate run, at the final look, of this rollout’s canary', () => {
    const runs = steps.flatMap((s) => (s.run ?? '').split('\n')).filter((line) => /tenantry-canary judge/.test(line));
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatch(/--final/);
    expect(runs[0]).toMatch(/--canary-pod-template-hash "\$hash"/);
    expect(runs[0]).toMatch(/--summary-file "\$GITHUB_STEP_SUMMARY"/);
    expect(steps.some((s) => /kubectl argo rollouts (promote|abort)/.test(s.run ?? ''))).toBe(false);
  });

  it('maps the gate exit codes the CLI documents in the report step', () => {
    const gate = step(/tenantry-canary judge/).run!;
    expect(gate).toContain(`if [ "$status" = ${EXIT_CODES.rollback} ]; then verdict=rollback; fi`);
    expect(gate).toContain(`if [ "$status" = ${EXIT_CODES.promote} ]; then verdict=promote; fi`);
    expect(gate).toContain(`if [ "$status" = ${EXIT_CODES.usage} ]; then verdict=broken; fi`);
  });

  it('fails the job unless the Rollout became healthy, even when an earlier step failed', () => {
    const failing = steps.find((s) => s.name?.startsWith('Fail unless the Rollout became healthy'))!;
    expect(failing.if).toBe("always() && steps.gate.outputs.healthy != '0'");
    expect(failing.run).toMatch(/exit 1/);
  });
});
