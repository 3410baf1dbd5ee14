/** Posture of a whole cdktf output directory, with production and environments taken from the catalog. */
import type { Catalog } from '@tenantry/catalog';
import { readStackFiles } from '../synth-model/stack-files.js';
import { checkEnvironmentPosture, type NamedStack } from './check-posture.js';
import type { Finding, StackJson } from './model.js';

/**
 * Whether a stack belongs to a production environment: every stack name ends with
 * `-<environment>` (stacks/naming.ts).
 */
export function productionStackPredicate(catalog: Catalog): (stackName: string) => boolean {
  const production = catalog.environments.filter((env) => env.production).map((env) => env.name);
  return (stackName) => production.some((name) => stackName.endsWith(`-${name}`));
}

/** The environment a stack belongs to (the longest environment name its name ends with), or undefined. */
export function stackEnvironment(catalog: Catalog): (stackName: string) => string | undefined {
  const names = catalog.environments.map((env) => env.name).sort((a, b) => b.length - a.length);
  return (stackName) => names.find((name) => stackName.endsWith(`-${name}`));
}

/**
 * Findings of every stack under `outdir/stacks`. Environment rules see the stacks of one
 * environment together (`environmentOf`; by default all stacks are one environment).
 */
export function checkSynthOutput(
  outdir: string,
  isProduction: (stackName: string) => boolean,
  environmentOf: (stackName: string) => string | undefined = () => undefined,
  today?: string,
): Finding[] {
  const groups = new Map<string, NamedStack[]>();
  for (const [name, text] of readStackFiles(outdir)) {
    const environment = environmentOf(name) ?? '';
    const group = groups.get(environment) ?? [];
    group.push({ name, json: JSON.parse(text) as StackJson, production: isProduction(name) });
    groups.set(environment, group);
  }
  return [...groups.values()].flatMap((stacks) => checkEnvironmentPosture(stacks, today === undefined ? {} : { today }));
}
