/**
 * What every middleware does once the tenant is resolved: fill the request's tenant
 * slot (which the span processor, the metric view and the log mixin read), put the
 * tenant on the HTTP server span, which began before the tenant was known, and remember
 * the resolution on the request for `tenantOf`.
 */
import type { IncomingMessage } from 'node:http';
import { context, type Context } from '@opentelemetry/api';
import { getRPCMetadata } from '@opentelemetry/core';
import { TENANT_ATTRIBUTE, UNKNOWN_TENANT } from '@tenantry/conventions';
import { tenantSlot, withTenantSlot } from '../tenant-context.js';
import type { TenantResolution } from '../tenant-resolver.js';

const RESOLUTION = Symbol.for('tenantry.tenant-resolution');

type WithResolution = IncomingMessage & { [RESOLUTION]?: TenantResolution };

/** The tenant resolution a Tenantry middleware recorded for this request, if any. */
export function tenantOf(request: IncomingMessage): TenantResolution | undefined {
  return (request as WithResolution)[RESOLUTION];
}

/**
 * Applies `resolution` to the active request. Returns a context to run the rest of
 * the request in when there was no slot to fill (no HTTP instrumentation), otherwise
 * undefined: the request's own context already carries the filled slot, so no
 * context is allocated per request.
 */
export function enterTenant(request: IncomingMessage, resolution: TenantResolution): Context | undefined {
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
