/** JSON in and out of `node:http`, with errors a client can act on. */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** A request the client must fix: answered with `status` and `{ error: message }`. */
export class ClientError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: OutgoingHttpHeaders = {},
  ) {
    super(message);
    this.name = 'ClientError';
  }
}

/** Bodies larger than this are refused: project names are short. */
const MAX_BODY_BYTES = 16 * 1024;

/** `application/json`, optionally with `charset=utf-8` (JSON is UTF-8, RFC 8259 §8.1). */
const JSON_CONTENT_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/**
 * Reads and parses a JSON body.
 *
 * @throws ClientError 415 for another content type or a content encoding, 413 when too
 *   large, 400 when not UTF-8 JSON
 */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const type = request.headers['content-type'];
  if (type === undefined || !JSON_CONTENT_TYPE.test(type)) {
    throw new ClientError(415, `Content-Type must be application/json, got ${type === undefined ? 'none' : JSON.stringify(type)}`, { accept: 'application/json' });
  }
  const encoding = request.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') throw new ClientError(415, `Content-Encoding ${JSON.stringify(encoding)} is not accepted: send the body as it is`);
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new ClientError(413, `request body is larger than ${MAX_BODY_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new ClientError(413, `request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new ClientError(400, 'request body is not valid UTF-8');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ClientError(400, `request body is not valid JSON: ${(error as Error).message}`);
  }
}
