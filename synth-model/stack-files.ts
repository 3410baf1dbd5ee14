/**
 * Reading a synthesized cdktf output directory: which stacks it holds and their JSON, so
 * two synths (base and head of a change) can be compared stack by stack.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Stack name → text of its `cdk.tf.json`, for every stack under `outdir/stacks`. */
export function readStackFiles(outdir: string): ReadonlyMap<string, string> {
  const stacksDirectory = join(outdir, 'stacks');
  if (!existsSync(stacksDirectory)) throw new Error(`${outdir} holds no stacks/ folder: is it a cdktf output directory (cdktf.out)?`);
  const files = new Map<string, string>();
  for (const name of readdirSync(stacksDirectory).sort()) {
    const file = join(stacksDirectory, name, 'cdk.tf.json');
    if (existsSync(file)) files.set(name, readFileSync(file, 'utf8'));
  }
  return files;
}

/** How the stacks of `head` differ from those of `base`. */
export interface StackChanges {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}

export function compareStacks(base: ReadonlyMap<string, string>, head: ReadonlyMap<string, string>): StackChanges {
  const added = [...head.keys()].filter((name) => !base.has(name));
  const removed = [...base.keys()].filter((name) => !head.has(name));
  const changed = [...head.keys()].filter((name) => base.has(name) && base.get(name) !== head.get(name));
  return { added, removed, changed };
}
