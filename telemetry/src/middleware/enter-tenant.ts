/**
 * The core every middleware (node:http, Express, Fastify) shares: resolve the tenant,
 * fill the request's tenant slot (which the span processor, the metric view and the log
 * mixin read), put the tenant on the HTTP server span, which began before the tenant
 * was known, remember the resolution on the request for `tenantOf`, and run the rest
 * of the request with it.
 */
import type { IncomingMessage } from 'node:http';
import { context, type Context } from '@opentelemetry/api';
import { getRPCMetadata } from '@opentelemetry/core';
import { TENANT_ATTRIBUTE, UNKNOWN_TENANT } from '@tenantry/conventions';
import { tenantSlot, withTenantSlot } from '../tenant-context.js';
import { defaultTenantResolver } from '../default-resolver.js';
import type { TenantResolution, TenantResolver } from '../tenant-resolver.js';

export interface TenantMiddlewareOptions {
  /**
   * The resolver to use.
   * @default - the resolver of `startTelemetry` / the `register` entry point, else one built from the environment
   */
  readonly resolver?: TenantResolver;
}

const RESOLUTION = Symbol.for('tenantry.tenant-resolution');

type WithResolution = IncomingMessage & { [RESOLUTION]?: TenantResolution };

/** The tenant resolution a Tenantry middleware recorded for this request, if any. */
export function tenantOf(request: IncomingMessage): TenantResolution | undefined {
  return (request as WithResolution)[RESOLUTION];
}

/**
 * Resolves the tenant of `request`, applies it, and calls `next` with the resolution,
 * in a context that carries the tenant.
 */
export function continueWithTenant<R>(request: IncomingMessage, options: TenantMiddlewareOptions, next: (resolution: TenantResolution) => R): R {
  const resolution = (options.resolver ?? defaultTenantResolver()).resolve(request);
  const ctx = enterTenant(request, resolution);
  return ctx === undefined ? next(resolution) : context.with(ctx, next, undefined, resolution);
}

/**
 * Applies `resolution` to the active request. Returns a context to run the rest of
 * the request in when there was no slot to fill (no HTTP instrumentation), otherwise
 * undefined: the request's own context already carries the filled slot, so no
 * context is allocated per request.
 */
function enterTenant(request: IncomingMessage, resolution: TenantResolution): Context | undefined {
  (request as WithResolution)[RESOLUTION] = resolution;
  const tenantId = resolution.known ? resolution.tenantId : undefined;
  const active = context.active();
  getRPCMetadata(active)?.span?.setAttribute(TENANT_ATTRIBUTE, tenantId ?? UNKNOWN_TENANT);
  const slot = tenantSlot(active);
  if (slot) {
    slot.tenantId = tenantId;
    return undefined;
  }
  return tenantId === undefined ? undefined : withTenantSlot(active, { tenantId });
}
