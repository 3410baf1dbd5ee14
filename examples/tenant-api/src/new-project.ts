/** Validation of the body of POST /api/projects. */
import { ClientError } from './http-json.js';

export interface NewProject {
  readonly name: string;
}

const MAX_NAME_LENGTH = 200;

/** @throws ClientError 400 naming the field and what was wrong with it */
export function parseNewProject(body: unknown): NewProject {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ClientError(400, 'request body must be a JSON object like {"name": "My project"}');
  }
  const extra = Object.keys(body).filter((key) => key !== 'name');
  if (extra.length > 0) throw new ClientError(400, `unknown field(s) ${extra.map((k) => `"${k}"`).join(', ')}: only "name" is accepted`);
  const name = (body as { name?: unknown }).name;
  if (typeof name !== 'string') throw new ClientError(400, `"name" must be a string, got ${name === undefined ? 'nothing' : typeof name}`);
  // PostgreSQL text cannot hold NUL, and control characters or lone surrogates are no
  // one's project name: refused here as the client's mistake, not found out by the database.
  // With the u flag, \p{Cs} matches only a surrogate that is not part of a pair.
  if (/\p{Cs}/u.test(name)) throw new ClientError(400, '"name" contains a lone UTF-16 surrogate (\\uD800-\\uDFFF without its pair)');
  const control = /\p{Cc}/u.exec(name);
  if (control !== null) {
    const code = control[0].codePointAt(0) ?? 0;
    throw new ClientError(400, `"name" contains the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}: names are printable text`);
  }
  const trimmed = name.trim();
  if (trimmed.length === 0) throw new ClientError(400, '"name" must not be empty');
  if (trimmed.length > MAX_NAME_LENGTH) throw new ClientError(400, `"name" is ${trimmed.length} characters long; the limit is ${MAX_NAME_LENGTH}`);
  return { name: trimmed };
}
