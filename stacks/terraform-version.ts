/**
 * The Terraform CLI version every stack requires. 1.11 is the first with write-only
 * attributes (`*_wo`, e.g. the Aurora master password and secret strings that never
 * reach the state), which the constructs use; an older CLI would reject the JSON at
 * plan time with a less helpful message than this constraint gives.
 */
import type { TerraformStack } from 'cdktf';

/** Lowest Terraform CLI version the synthesized stacks work with. */
export const MINIMUM_TERRAFORM_VERSION = '1.11.0';

/** Writes `terraform.required_version` into `stack` (cdktf 0.21 has no property for it). */
export function requireTerraformVersion(stack: TerraformStack): void {
  stack.addOverride('terraform.required_version', `>= ${MINIMUM_TERRAFORM_VERSION}`);
}
