/** Runs the posture rules over synthesized stacks and reports every finding. */
import type { Finding, PostureRule, Resource, StackContext, StackJson } from './model.js';
import { POSTURE_RULES } from './rules/index.js';

export interface CheckPostureOptions {
  /**
   * Name of the stack, reported with each finding.
   * @default 'stack'
   */
  readonly stackName?: string;
  /**
   * Apply the production-only rules (deletion protection, …).
   * @default false
   */
  readonly production?: boolean;
  /**
   * Rules to run.
   * @default POSTURE_RULES
   */
  readonly rules?: readonly PostureRule[];
}

function contextOf(json: StackJson, stackName: string, production: boolean): StackContext {
  const byType = new Map<string, Resource[]>();
  for (const [type, instances] of Object.entries(json.resource ?? {})) {
    byType.set(
      type,
      Object.entries(instances).map(([name, attributes]) => ({ type, name, address: `${type}.${name}`, attributes })),
    );
  }
  return { stackName, production, json, resources: (type) => byType.get(type) ?? [] };
}

/** Every finding of `rules` on one stack's `cdk.tf.json`. */
export function checkPosture(json: StackJson, options: CheckPostureOptions = {}): Finding[] {
  const stack = contextOf(json, options.stackName ?? 'stack', options.production ?? false);
  const findings: Finding[] = [];
  for (const rule of options.rules ?? POSTURE_RULES) {
    if (rule.productionOnly && !stack.production) continue;
    const report = (address: string, problem: string): void => {
      findings.push({ ruleId: rule.id, stack: stack.stackName, address, problem, fix: rule.fix });
    };
    if (rule.kind === 'stack') {
      for (const breach of rule.check(stack)) report(breach.address, breach.problem);
      continue;
    }
    for (const type of rule.resourceTypes) {
      for (const resource of stack.resources(type)) {
        const problem = rule.check(resource, stack);
        if (problem !== undefined) report(resource.address, problem);
      }
    }
  }
  return findings;
}

export function formatFinding(finding: Finding): string {
  return `${finding.ruleId}  ${finding.stack}  ${finding.address}\n    ${finding.problem}\n    fix: ${finding.fix}`;
}
