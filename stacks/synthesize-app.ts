/**
 * Runs the real cdktf app (stacks/main.ts) in a child process, the way `cdktf synth`
 * does, against a given catalog and output directory. Tests and the synth benchmark use
 * it so they exercise exactly what a deploy would synthesize.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATALOG_DIRECTORY_VARIABLE, ENVIRONMENT_VARIABLE } from '@tenantry/catalog';

const REPOSITORY = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface SynthesizeAppOptions {
  readonly catalogDirectory: string;
  readonly outdir: string;
  /**
   * Environment to synthesize (`$TENANTRY_ENV` of the child).
   * @default 'prod'
   */
  readonly environment?: string;
  /**
   * Extra Node.js flags of the child, e.g. `--max-old-space-size=4096`; they come after
   * tsx's loader, so `--import some-module.ts` works.
   * @default - none
   */
  readonly nodeFlags?: readonly string[];
  /**
   * Extra environment variables of the child.
   * @default - none
   */
  readonly env?: Readonly<Record<string, string>>;
}

/** Thrown when the app exits non-zero; carries what it printed. */
export class SynthesisError extends Error {
  constructor(
    readonly status: number | null,
    readonly stderr: string,
  ) {
    super(`the cdktf app exited with status ${status}:\n${stderr}`);
    this.name = 'SynthesisError';
  }
}

/** Synthesizes the app into `options.outdir` and returns it; throws SynthesisError on failure. */
export function synthesizeApp(options: SynthesizeAppOptions): string {
  const result = spawnSync(process.execPath, ['--import', 'tsx', ...(options.nodeFlags ?? []), join(REPOSITORY, 'stacks', 'main.ts')], {
    cwd: REPOSITORY,
    encoding: 'utf8',
    env: {
      ...process.env,
      [CATALOG_DIRECTORY_VARIABLE]: options.catalogDirectory,
      [ENVIRONMENT_VARIABLE]: options.environment ?? 'prod',
      CDKTF_OUTDIR: options.outdir,
      ...options.env,
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new SynthesisError(result.status, `${result.stderr}${result.error ? String(result.error) : ''}`);
  return options.outdir;
}
