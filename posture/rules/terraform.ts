/** The Terraform CLI: every stack states the lowest version its JSON needs. */
import type { StackRule } from '../model.js';

/** Write-only attributes (`*_wo`) need Terraform 1.11. */
const MINIMUM = [1, 11] as const;

/** The lowest version a `required_version` constraint admits, when it has a `>=` or `~>` lower bound. */
export function lowerBound(constraint: string): readonly [number, number] | undefined {
  const bounds = constraint
    .split(',')
    .map((part) => /^\s*(>=|~>|=)?\s*v?(\d+)\.(\d+)/.exec(part))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [Number(match[2]), Number(match[3])] as const);
  return bounds.sort((a, b) => b[0] - a[0] || b[1] - a[1])[0];
}

export const terraformRules: readonly StackRule[] = [
  {
    kind: 'stack',
    id: 'TENANTRY_TERRAFORM_VERSION',
    title: `The stack requires Terraform ${MINIMUM.join('.')} or later (write-only attributes)`,
    fix: 'call requireTerraformVersion(stack) (stacks/terraform-version.ts), which sets terraform.required_version = ">= 1.11.0"',
    check: (stack) => {
      const constraint = stack.json.terraform?.required_version;
      if (typeof constraint !== 'string') return [{ address: 'terraform.required_version', problem: 'unset: any Terraform version may plan the stack' }];
      const bound = lowerBound(constraint);
      const [major, minor] = MINIMUM;
      if (bound === undefined || bound[0] < major || (bound[0] === major && bound[1] < minor)) {
        return [{ address: 'terraform.required_version', problem: `"${constraint}" admits versions older than ${major}.${minor}` }];
      }
      return [];
    },
  },
];
