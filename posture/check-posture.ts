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
  /**
   * The day to check for (YYYY-MM-DD): dated rules such as the EKS support calendar compare with it.
   * @default today, UTC
   */
  readonly today?: string;
}

/** One stack of an environment, by name. */
export interface NamedStack {
  readonly name: string;
  readonly json: StackJson;
  readonly production: boolean;
}

const todayUtc = (): string => new Date().toISOString().slice(0, 10);

function contextOf(json: StackJson, stackName: string, production: boolean, today: string): StackContext {
  const byType = new Map<string, Resource[]>();
  for (const [type, instances] of Object.entries(json.resource ?? {})) {
    byType.set(
      type,
      Object.entries(instances).map(([name, attributes]) => ({ type, name, address: `${type}.${name}`, attributes })),
    );
  }
  return { stackName, production, json, today, resources: (type) => byType.get(type) ?? [] };
}

/** Every finding of `rules` on one stack's `cdk.tf.json` (environment rules see this stack alone). */
export function checkPosture(json: StackJson, options: CheckPostureOptions = {}): Finding[] {
  return checkEnvironmentPosture([{ name: options.stackName ?? 'stack', json, production: options.production ?? false }], options);
}

/** Every finding of `rules` on the stacks of one environment: per-stack rules on each, environment rules on all of them. */
export function checkEnvironmentPosture(stacks: readonly NamedStack[], options: Pick<CheckPostureOptions, 'rules' | 'today'> = {}): Finding[] {
  const today = options.today ?? todayUtc();
  const contexts = stacks.map((stack) => contextOf(stack.json, stack.name, stack.production, today));
  const findings: Finding[] = [];
  for (const rule of options.rules ?? POSTURE_RULES) {
    const report = (stackName: string, address: string, problem: string): void => {
      findings.push({ ruleId: rule.id, stack: stackName, address, problem, fix: rule.fix });
    };
    if (rule.kind === 'environment') {
      const checked = contexts.filter((stack) => !rule.productionOnly || stack.production);
      if (checked.length > 0) for (const breach of rule.check(checked)) report(breach.stack, breach.address, breach.problem);
      continue;
    }
    for (const stack of contexts) {
      if (rule.productionOnly && !stack.production) continue;
      if (rule.kind === 'stack') {
        for (const breach of rule.check(stack)) report(stack.stackName, breach.address, breach.problem);
        continue;
      }
      for (const type of rule.resourceTypes) {
        for (const resource of stack.resources(type)) {
          const problem = rule.check(resource, stack);
          if (problem !== undefined) report(stack.stackName, resource.address, problem);
        }
      }
    }
  }
  return findings;
}

export function formatFinding(finding: Finding): string {
  return `${finding.ruleId}  ${finding.stack}  ${finding.address}\n    ${finding.problem}\n    fix: ${finding.fix}`;
}
