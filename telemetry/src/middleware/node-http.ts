/** Tenant resolution for a plain `node:http` request listener. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context } from '@opentelemetry/api';
import { defaultTenantResolver } from '../default-resolver.js';
import type { TenantResolution, TenantResolver } from '../tenant-resolver.js';
import { enterTenant } from './enter-tenant.js';

export interface TenantMiddlewareOptions {
  /**
   * The resolver to use.
   * @default - the resolver of `startTelemetry` / the `register` entry point, else one built from the environment
   */
  readonly resolver?: TenantResolver;
}

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
  return (request, response) => {
    const resolution = (options.resolver ?? defaultTenantResolver()).resolve(request);
    const ctx = enterTenant(request, resolution);
    if (ctx === undefined) handler(request, response, resolution);
    else context.with(ctx, handler, undefined, request, response, resolution);
  };
}
