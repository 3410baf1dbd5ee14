/** JSON in and out of `node:http`, with errors a client can act on. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request the client must fix: answered with `status` and `{ error: message }`. */
export class ClientError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ClientError';
  }
}

/** Bodies larger than this are refused: project names are short. */
const MAX_BODY_BYTES = 16 * 1024;

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** Reads and parses a JSON body. @throws ClientError 413 when too large, 400 when not JSON */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new ClientError(413, `request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ClientError(400, `request body is not valid JSON: ${(error as Error).message}`);
  }
}
