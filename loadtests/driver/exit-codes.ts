/** k6's exit code for crossed thresholds, which the local driver's CLI uses too, so CI scripts treat both alike. */
export const THRESHOLDS_FAILED_EXIT_CODE = 99;
/** Bad arguments, environment or input files (nothing was sent). */
export const USAGE_EXIT_CODE = 2;
