/**
 * What posture rules see: one synthesized stack (its `cdk.tf.json`), its resources
 * addressed as Terraform addresses them, and what a finding says.
 */

import type { StackJson } from '../synth-model/stack-json.js';

export type { StackJson };

/** One resource block of a stack. */
export interface Resource {
  /** Terraform resource type, e.g. `aws_rds_cluster`. */
  readonly type: string;
  /** Logical name inside the stack. */
  readonly name: string;
  /** Terraform address, `<type>.<name>`. */
  readonly address: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

export interface StackContext {
  readonly stackName: string;
  /** Production posture is required (deletion protection, …). */
  readonly production: boolean;
  readonly json: StackJson;
  /** The day the check runs for (YYYY-MM-DD, UTC): dated rules (support calendars) compare with it. */
  readonly today: string;
  /** Every resource of a type in the stack. */
  resources(type: string): readonly Resource[];
}

/** What every rule says of itself, whatever it checks. */
interface RuleDescription {
  /**
   * checkov or cdk-nag id when this rule fires on every configuration that check fails
   * (it may be stricter; the title says how), else a `TENANTRY_*` id.
   */
  readonly id: string;
  /** Checks of other tools this rule fires on in the same way (the same contract as `id`). */
  readonly alsoKnownAs?: readonly string[];
  /** Checks of other tools on the same control that decide differently (see posture/README.md). */
  readonly relatedTo?: readonly string[];
  /** What must hold, as a sentence. */
  readonly title: string;
  /** How to fix a finding. */
  readonly fix: string;
  /** Checked only on stacks of production environments. */
  readonly productionOnly?: boolean;
}

/** A rule checked on every resource of some types. */
export interface ResourceRule extends RuleDescription {
  readonly kind: 'resource';
  readonly resourceTypes: readonly string[];
  /** Why `resource` breaks the rule, or undefined when it holds. */
  check(resource: Resource, stack: StackContext): string | undefined;
}

/** A rule over the whole stack (backend, literal secrets anywhere). */
export interface StackRule extends RuleDescription {
  readonly kind: 'stack';
  /** One entry per breach: where (an address or JSON path) and why. */
  check(stack: StackContext): readonly { readonly address: string; readonly problem: string }[];
}

/**
 * A rule over every stack of one environment, for what one stack declares and another
 * must make true (a tenant stack's NetworkPolicies, the cluster stack's enforcement).
 * Run on a single stack, it sees that stack alone.
 */
export interface EnvironmentRule extends RuleDescription {
  readonly kind: 'environment';
  /** One entry per breach: the stack, where in it and why. */
  check(stacks: readonly StackContext[]): readonly { readonly stack: string; readonly address: string; readonly problem: string }[];
}

export type PostureRule = ResourceRule | StackRule | EnvironmentRule;

export interface Finding {
  readonly ruleId: string;
  readonly stack: string;
  /** Terraform address of the resource (or JSON path inside the stack). */
  readonly address: string;
  readonly problem: string;
  readonly fix: string;
}
