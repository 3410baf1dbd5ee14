/**
 * Where a stack keeps its Terraform state: the environment's S3 bucket (SSE-KMS with the
 * environment's key, S3-native locking) when the catalog names one, else a local file
 * so synth and plan work offline. State holds generated passwords and the Redis AUTH
 * token, so a local file is a plaintext copy of them: `localStateWarning` says so at
 * synth.
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
    kmsKeyId: env.state.kmsKeyArn,
  });
  // S3-native locking (Terraform >= 1.10, the lock file sits next to the state object);
  // cdktf 0.21's S3Backend has no field for it.
  stack.addOverride('terraform.backend.s3.use_lockfile', true);
}

/** The warnings synth prints, one per environment whose state is local. */
export function localStateWarnings(environments: readonly Environment[]): string[] {
  return environments
    .filter((env) => !env.state)
    .map(
      (env) =>
        `warning: environment ${env.name} names no state bucket, so its stacks keep state in local files terraform.<stack>.tfstate ` +
        `in plaintext, including generated database passwords and the Redis AUTH token. Set state.bucket and state.kmsKeyArn in ${env.file} before any apply outside a sandbox.`,
    );
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
