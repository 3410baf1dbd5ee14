/**
 * The base of every platform stack: its state backend and, when it holds AWS resources,
 * the AWS provider with the environment's default tags. In its own module so stacks
 * defined outside platform-stacks.ts (cluster-addons-stack.ts) share it without an
 * import cycle.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import type { Environment } from '@tenantry/catalog';
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { platformStackName, type PlatformStackPart } from './naming.js';
import { configureStateBackend } from './state-backend.js';
import { requireTerraformVersion } from './terraform-version.js';

/** Value of the `managed-by` default tag on every AWS resource. */
export const MANAGED_BY = 'tenantry';

export abstract class PlatformStack extends TerraformStack {
  constructor(scope: Construct, part: PlatformStackPart, readonly environment: Environment, options: { aws: boolean }) {
    const name = platformStackName(part, environment);
    super(scope, name);
    requireTerraformVersion(this);
    configureStateBackend(this, environment, `platform/${name}.tfstate`);
    if (options.aws) {
      new AwsProvider(this, 'aws', {
        region: environment.region,
        allowedAccountIds: [environment.account],
        defaultTags: [{ tags: { environment: environment.name, stack: name, 'managed-by': MANAGED_BY } }],
      });
    }
  }
}
