/** Tenant resolution as Express middleware (structurally typed: no dependency on express). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { context } from '@opentelemetry/api';
import { defaultTenantResolver } from '../default-resolver.js';
import { enterTenant } from './enter-tenant.js';
import type { TenantMiddlewareOptions } from './node-http.js';

/** The shape of an Express middleware, which `app.use` accepts. */
export type ExpressMiddleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Express middleware: resolves the tenant and runs the rest of the chain with it.
 * It never answers the request itself: handlers read `tenantOf(req)` (or
 * `currentTenant()`) and answer 404 for an unknown tenant where that matters.
 */
export function expressTenantMiddleware(options: TenantMiddlewareOptions = {}): ExpressMiddleware {
  return (request, _response, next) => {
    const resolution = (options.resolver ?? defaultTenantResolver()).resolve(request);
    const ctx = enterTenant(request, resolution);
    if (ctx === undefined) next();
    else context.with(ctx, next);
  };
}
