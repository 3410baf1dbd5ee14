/**
 * `npm run synth`: synthesizes every stack of the catalog into cdktf.out/ (or
 * `$CDKTF_OUTDIR`) offline, with no credentials. The output directory is replaced as a
 * whole only when synthesis succeeded: a broken catalog or a failing construct leaves the
 * previous output untouched, and a removed tenant leaves no stale stack behind.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, basename, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildApp, DEFAULT_OUTDIR, loadForSynth } from './main.js';
import { localStateWarnings } from './state-backend.js';

const loaded = loadForSynth();
if (!loaded.ok) {
  process.stderr.write(`${loaded.message}\n`);
  process.exit(1);
}

for (const warning of localStateWarnings(loaded.environments)) process.stderr.write(`${warning}\n`);

const outdir = resolve(process.env.CDKTF_OUTDIR ?? DEFAULT_OUTDIR);
const staging = join(dirname(outdir), `.${basename(outdir)}.partial-${process.pid}`);
mkdirSync(dirname(outdir), { recursive: true });
try {
  buildApp(loaded.catalog, loaded.environments, staging).synth();
} catch (error) {
  rmSync(staging, { recursive: true, force: true });
  throw error;
}
const previous = `${staging}.previous`;
if (existsSync(outdir)) renameSync(outdir, previous);
renameSync(staging, outdir);
rmSync(previous, { recursive: true, force: true });

const stacks = readdirSync(join(outdir, 'stacks')).length;
// performance.now() counts from process start, so this includes loading tsx and the providers.
const seconds = (performance.now() / 1000).toFixed(1);
const environments = loaded.environments.map((env) => env.name).join(', ');
process.stdout.write(`Synthesized ${stacks} stacks (${environments}; ${loaded.catalog.tenants.length} tenants) into ${outdir} in ${seconds} s\n`);
