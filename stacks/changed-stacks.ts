/**
 * `npm run changed-stacks -- --base <outdir> [--head <outdir>] [--json]`
 *
 * Compares two synthesized cdktf output directories (base and head of a change) stack
 * by stack and prints the stacks to deploy: added or changed, one per line, ready for
 * `cdktf deploy $(…)` or a CI matrix. Removed stacks are reported on stderr: they must
 * already have been destroyed (see docs/tenants.md, "Offboarding").
 */
import { parseArgs } from 'node:util';
import { compareStacks, readStackFiles } from '../synth-model/stack-files.js';

const { values } = parseArgs({
  options: {
    base: { type: 'string' },
    head: { type: 'string', default: 'cdktf.out' },
    json: { type: 'boolean', default: false },
  },
});

if (!values.base) {
  process.stderr.write('usage: npm run changed-stacks -- --base <cdktf.out of the base commit> [--head cdktf.out] [--json]\n');
  process.exit(2);
}

const changes = compareStacks(readStackFiles(values.base), readStackFiles(values.head));
if (values.json) {
  process.stdout.write(`${JSON.stringify(changes, null, 2)}\n`);
} else {
  for (const name of [...changes.added, ...changes.changed].sort()) process.stdout.write(`${name}\n`);
  for (const name of changes.removed) process.stderr.write(`removed: ${name} (destroy it from the base synth before merging)\n`);
}
