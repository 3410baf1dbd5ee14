/** Tenant resolution as a Fastify plugin (structurally typed: no dependency on fastify). */
import type { IncomingMessage } from 'node:http';
import { continueWithTenant, type TenantMiddlewareOptions } from './enter-tenant.js';

/** The part of a Fastify instance the plugin uses. */
export interface FastifyHookHost {
  addHook(name: 'onRequest', hook: (request: { readonly raw: IncomingMessage }, reply: unknown, done: () => void) => void): unknown;
}

/** A Fastify plugin function, marked so that its hook applies to the whole app. */
export interface FastifyTenantPlugin {
  (instance: FastifyHookHost, options: TenantMiddlewareOptions, done: () => void): void;
  readonly [key: symbol]: unknown;
}

/**
 * Fastify plugin: `app.register(fastifyTenantPlugin)` or
 * `app.register(fastifyTenantPlugin, { resolver })`. Resolves the tenant in an
 * `onRequest` hook; handlers read `tenantOf(request.raw)` or `currentTenant()`.
 */
export const fastifyTenantPlugin: FastifyTenantPlugin = Object.assign(
  (instance: FastifyHookHost, options: TenantMiddlewareOptions, done: () => void): void => {
    instance.addHook('onRequest', (request, _reply, next) => continueWithTenant(request.raw, options, () => next()));
    done();
  },
  // What fastify-plugin sets: the hook is not encapsulated in a child context.
  { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'tenantry-tenant' },
);
