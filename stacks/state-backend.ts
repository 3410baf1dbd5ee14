/**
 * Where a stack keeps its Terraform state: the environment's S3 bucket (encrypted,
 * S3-native locking) when the catalog names one, else a local file so synth and plan
 * work offline.
 */
import type { Environment } from '@tenantry/catalog';
import { LocalBackend, S3Backend, type TerraformStack } from 'cdktf';

/** Configures the backend of `stack`; `key` is the state object's key in the bucket. */
export function configureStateBackend(stack: TerraformStack, env: Environment, key: string): void {
  if (!env.state) {
    new LocalBackend(stack, { path: `terraform.${stack.node.id}.tfstate` });
    return;
  }
  new S3Backend(stack, {
    bucket: env.state.bucket,
    region: env.state.region,
    key,
    encrypt: true,
    ...(env.state.kmsKeyArn ? { kmsKeyId: env.state.kmsKeyArn } : {}),
  });
  // S3-native locking (Terraform >= 1.10); cdktf 0.21's S3Backend has no field for it.
  stack.addOverride('terraform.backend.s3.use_lockfile', true);
}
