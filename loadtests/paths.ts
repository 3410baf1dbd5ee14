/** Where `npm run loadtests:build` writes, shared by the build and the local driver's CLI. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DIST_DIRECTORY = join(dirname(fileURLToPath(import.meta.url)), 'dist');
export const TENANTS_FILE_NAME = 'tenants.json';
export const SCRIPT_FILE_NAME = 'script.js';
