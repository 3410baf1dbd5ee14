/**
 * How every command-line reader of the catalog (synth, dashboards, load-test build,
 * canary, posture) reports a refused catalog: the CatalogValidationError's message on
 * stderr, naming every file, field and rule, no stack trace, and exit status 1.
 */
import { CatalogValidationError } from './errors.js';

/** Prints a CatalogValidationError and exits 1; rethrows anything else (a bug, not bad input). */
export function exitOnCatalogError(error: unknown): never {
  if (!(error instanceof CatalogValidationError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
