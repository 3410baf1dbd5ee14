/**
 * The route template of a `node:http` request. Express and Fastify instrumentations
 * report `http.route` themselves; a plain `node:http` service has no router the SDK
 * knows, so it names the route here, and the server span and the `http_route` label of
 * `http.server.request.duration` carry it. Use the template (`/api/projects/:id`),
 * never the raw path: the raw path would make one series per id.
 */
import { context } from '@opentelemetry/api';
import { getRPCMetadata } from '@opentelemetry/core';

/** Names the route of the current request; does nothing outside an instrumented request. */
export function setHttpRoute(route: string): void {
  const metadata = getRPCMetadata(context.active());
  if (metadata !== undefined) metadata.route = route;
}
