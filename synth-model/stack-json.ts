/**
 * The shape of one synthesized cdktf stack (`cdk.tf.json`), as the stacks' reports, the
 * posture rules and the tests read it. Below both stacks/ and posture/, so neither
 * imports the other for it.
 */

/** The parts of a cdktf `cdk.tf.json` that Tenantry reads. */
export interface StackJson {
  readonly terraform?: {
    readonly required_version?: string;
    readonly backend?: Record<string, Record<string, unknown>>;
    readonly required_providers?: Record<string, unknown>;
  };
  readonly provider?: Record<string, unknown>;
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, unknown>;
  readonly locals?: Record<string, unknown>;
  readonly variable?: Record<string, unknown>;
}
