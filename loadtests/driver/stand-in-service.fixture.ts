/**
 * A stand-in HTTP service for the driver's own tests: it answers like the reference
 * service's project routes, records what it was sent, and slows down or fails the hosts
 * it is told to, so that pacing, mix and attribution can be counted exactly. The driver
 * against the real reference service is tested in run-load.service.test.ts.
 */
import { createServer } from 'node:http';

export interface SeenRequest {
  readonly host: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** When the request arrived (`performance.now()`), to check how evenly the driver spreads them. */
  readonly atMs: number;
}

export interface StandInServiceProps {
  /** Added delay per Host header, in milliseconds. @default - none */
  readonly delayMsByHost?: Readonly<Record<string, number>>;
  /** Answer every n-th request of a host with 503. @default - none */
  readonly failEveryNthByHost?: Readonly<Record<string, number>>;
}

export interface StandInService {
  readonly url: string;
  readonly seen: readonly SeenRequest[];
  /** TCP connections accepted so far. */
  connections(): number;
  stop(): Promise<void>;
}

export async function startStandInService(props: StandInServiceProps = {}): Promise<StandInService> {
  const seen: SeenRequest[] = [];
  let nextId = 0;
  const server = createServer((req, res) => {
    const host = req.headers.host ?? '';
    seen.push({ host, method: req.method ?? '', path: req.url ?? '', headers: req.headers, atMs: performance.now() });
    const countForHost = seen.filter((s) => s.host === host).length;
    req.resume();
    req.on('end', () => {
      setTimeout(() => {
        const failEvery = props.failEveryNthByHost?.[host];
        if (failEvery !== undefined && countForHost % failEvery === 0) {
          res.statusCode = 503;
          res.end('{"error":"injected"}');
        } else if (req.method === 'POST') {
          res.statusCode = 201;
          res.end(JSON.stringify({ id: `p${++nextId}`, name: 'x' }));
        } else {
          res.end('{"projects":[]}');
        }
      }, props.delayMsByHost?.[host] ?? 1);
    });
  });
  let connections = 0;
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the stand-in service has no TCP port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    seen,
    connections: () => connections,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
