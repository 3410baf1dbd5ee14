/**
 * Validates SARIF logs against the official SARIF 2.1.0 JSON schema (OASIS errata 01,
 * sarif-2.1/schema/sarif-schema-2.1.0.json of github.com/oasis-tcs/sarif-spec at
 * e058381, shipped unchanged in testing/sarif/). The schema is JSON Schema draft-04,
 * hence ajv-draft-04.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const schemaPath = join(dirname(fileURLToPath(import.meta.url)), 'sarif', 'sarif-schema-2.1.0.json');
// strict off: the official schema uses keywords ajv's strict mode rejects (e.g. "id" beside "$schema").
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);

/** Every schema violation of `log`, as "path: message" lines; empty when it is valid SARIF 2.1.0. */
export function sarifSchemaErrors(log: unknown): string[] {
  if (validate(log)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
}
