/**
 * Test helpers for the telemetry package: real HTTP servers on free ports and a
 * client that sets the Host header (so the catalog's hostnames resolve without DNS).
 */
import { request, type IncomingHttpHeaders, type RequestListener, type Server, createServer, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

export interface Response {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** GET (or another method) against 127.0.0.1:port with the given headers. */
export function send(port: number, path: string, headers: Record<string, string> = {}, method = 'GET', host = '127.0.0.1', body?: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, method, headers, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * `send` from outside any service: no client span and no traceparent, so the
 * server span of the request is the root of its trace, as for a call from the internet.
 */
export function sendFromOutside(port: number, path: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<Response> {
  return context.with(suppressTracing(context.active()), () => send(port, path, headers, method, '127.0.0.1', body));
}

/** Starts an HTTP server on a free port of 127.0.0.1. */
export async function listen(listener: RequestListener): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Closes the shared keep-alive agent's sockets. */
export function closeClient(): void {
  agent.destroy();
}
