/** Posture of a whole cdktf output directory, with production taken from the catalog. */
import type { Catalog } from '@tenantry/catalog';
import { readStackFiles } from '../stacks/stack-files.js';
import { checkPosture } from './check-posture.js';
import type { Finding, StackJson } from './model.js';

/**
 * Whether a stack belongs to a production environment: every stack name ends with
 * `-<environment>` (stacks/naming.ts).
 */
export function productionStackPredicate(catalog: Catalog): (stackName: string) => boolean {
  const production = catalog.environments.filter((env) => env.production).map((env) => env.name);
  return (stackName) => production.some((name) => stackName.endsWith(`-${name}`));
}

/** Findings of every stack under `outdir/stacks`. */
export function checkSynthOutput(outdir: string, isProduction: (stackName: string) => boolean): Finding[] {
  const findings: Finding[] = [];
  for (const [stackName, text] of readStackFiles(outdir)) {
    findings.push(...checkPosture(JSON.parse(text) as StackJson, { stackName, production: isProduction(stackName) }));
  }
  return findings;
}
