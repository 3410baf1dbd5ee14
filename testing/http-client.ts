/**
 * HTTP clients for fault and hostile-input tests: a timed request that never rejects
 * (a socket error is an answer too), and raw bytes on a socket for requests that
 * node:http refuses to send (two Host headers, control characters, odd methods).
 */
import { request as httpRequest, type Agent, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';

export interface TimedAnswer {
  /** The status, or the socket error's code (ECONNREFUSED, ECONNRESET, …). */
  readonly status: number | string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** From sending to the end of the answer or the error. */
  readonly ms: number;
}

export interface TimedRequest {
  readonly port: number;
  readonly host: string;
  readonly method?: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as JSON with Content-Type application/json unless a string. */
  readonly body?: unknown;
  /** @default - a new connection, closed after the answer */
  readonly agent?: Agent;
}

export function timedRequest(options: TimedRequest): Promise<TimedAnswer> {
  const payload = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const started = performance.now();
  return new Promise((resolve) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: options.port,
        method: options.method ?? 'GET',
        path: options.path,
        agent: options.agent ?? false,
        headers: {
          host: options.host,
          ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          ...options.headers,
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, ms: performance.now() - started }));
        res.on('error', (error: NodeJS.ErrnoException) => resolve({ status: error.code ?? error.message, headers: {}, body: '', ms: performance.now() - started }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ status: error.code ?? error.message, headers: {}, body: '', ms: performance.now() - started }));
    req.end(payload);
  });
}

/**
 * Writes `bytes` to a new connection and resolves with the status of the first answer,
 * or 'closed' when the server closed the connection without one.
 */
export function rawStatus(port: number, bytes: Buffer | string, timeoutMs = 10_000): Promise<number | 'closed' | 'timeout'> {
  return new Promise((resolve) => {
    let answer = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    const settle = (): void => {
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(answer);
      resolve(match ? Number(match[1]) : 'closed');
    };
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (/^HTTP\/1\.[01] \d{3}/.test(answer)) {
        socket.destroy();
        settle();
      }
    });
    socket.on('close', settle);
    socket.on('error', () => undefined);
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      resolve('timeout');
    });
  });
}
