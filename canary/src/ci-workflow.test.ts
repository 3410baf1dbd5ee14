/**
 * The GitHub Actions canary workflow: parsed, and checked for the contract the docs
 * promise (k6 canary profile, the gate each minute, promote on 0, abort otherwise,
 * Markdown report to the job summary).
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
  it('deploys the canary with kubectl argo rollouts set image before judging it', () => {
    const deploy = steps.indexOf(step(/kubectl argo rollouts set image/));
    expect(deploy).toBeLessThan(steps.indexOf(step(/tenantry-canary judge/)));
  });

  it('runs the k6 canary profile for the window while the gate runs once a minute', () => {
    const gate = step(/tenantry-canary judge/).run!;
    expect(gate).toMatch(/k6 run -e PROFILE=canary -e DURATION="\$WINDOW".*&$/m);
    expect(gate).toMatch(/sleep 60/);
    expect(gate).toMatch(/--summary-file "\$GITHUB_STEP_SUMMARY"/);
  });

  it('maps the gate exit codes the CLI documents', () => {
    const gate = step(/tenantry-canary judge/).run!;
    expect(gate).toContain(`if [ "$status" = ${EXIT_CODES.rollback} ]; then verdict=rollback; fi`);
    expect(gate).toContain(`if [ "$status" = ${EXIT_CODES.promote} ]; then verdict=promote; fi`);
    expect(gate).toContain(`if [ "$status" = ${EXIT_CODES.usage} ]; then verdict=broken; fi`);
  });

  it('promotes only on a promote verdict and aborts on anything else, even when an earlier step failed', () => {
    expect(step(/kubectl argo rollouts promote/).if).toBe("steps.gate.outputs.verdict == 'promote'");
    expect(step(/kubectl argo rollouts abort/).if).toBe("always() && steps.gate.outputs.verdict != 'promote'");
  });
});
