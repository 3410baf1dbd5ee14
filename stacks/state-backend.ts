/**
 * Where a stack keeps its Terraform state: the environment's S3 bucket (encrypted,
 * S3-native locking) when the catalog names one, else a local file so synth and plan
 * work offline.
 */
import { join, relative, resolve } from 'node:path';
import type { Environment } from '@tenantry/catalog';
import { App, LocalBackend, S3Backend, type TerraformStack } from 'cdktf';

/** Configures the backend of `stack`; `key` is the state object's key in the bucket. */
export function configureStateBackend(stack: TerraformStack, env: Environment, key: string): void {
  if (!env.state) {
    new LocalBackend(stack, { path: localStatePath(stack) });
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

/**
 * `terraform.<stack>.tfstate` in the working directory of the synth, written relative to
 * the stack's directory (`<outdir>/stacks/<stack>`). Not inside the output directory,
 * which every synth replaces; not absolute, so the JSON does not depend on the machine;
 * and every stack directory is at the same depth, so a cross-stack reference (remote
 * state read from a sibling stack's directory) finds the same file.
 */
function localStatePath(stack: TerraformStack): string {
  const stackDirectory = resolve(App.of(stack).outdir, 'stacks', stack.node.id);
  return join(relative(stackDirectory, process.cwd()), `terraform.${stack.node.id}.tfstate`);
}
