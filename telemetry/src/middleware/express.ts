/** Tenant resolution as Express middleware (structurally typed: no dependency on express). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { continueWithTenant, type TenantMiddlewareOptions } from './enter-tenant.js';

/** The shape of an Express middleware, which `app.use` accepts. */
export type ExpressMiddleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Express middleware: resolves the tenant and runs the rest of the chain with it.
 * It never answers the request itself: handlers read `tenantOf(req)` (or
 * `currentTenant()`) and answer 404 for an unknown tenant where that matters.
 */
export function expressTenantMiddleware(options: TenantMiddlewareOptions = {}): ExpressMiddleware {
  return (request, _response, next) => continueWithTenant(request, options, () => next());
}
