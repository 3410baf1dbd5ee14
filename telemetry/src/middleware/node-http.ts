/** Tenant resolution for a plain `node:http` request listener. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TenantResolution } from '../tenant-resolver.js';
import { continueWithTenant, type TenantMiddlewareOptions } from './enter-tenant.js';

/** A request listener that is told the request's tenant. */
export type TenantAwareHandler = (request: IncomingMessage, response: ServerResponse, tenant: TenantResolution) => unknown;

/**
 * Wraps a `node:http` request listener: resolves the tenant, puts it on the request's
 * spans, metric and log lines, and calls `handler` with the resolution. An unknown
 * tenant is not an exception: `tenant.known` is false and `tenant.reason` says why,
 * so the handler can answer 404.
 *
 * @example
 * http.createServer(tenantRequestHandler((req, res, tenant) => {
 *   if (!tenant.known) { res.writeHead(404).end(tenant.reason); return; }
 *   // … tenant.tenantId
 * }));
 */
export function tenantRequestHandler(
  handler: TenantAwareHandler,
  options: TenantMiddlewareOptions = {},
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => continueWithTenant(request, options, (resolution) => void handler(request, response, resolution));
}
