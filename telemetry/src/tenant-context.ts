/**
 * Where the tenant of the current unit of work lives: a private context key, never
 * baggage read from the wire. The value is a mutable slot so that the HTTP server span
 * and the request-duration metric, which both live in the context of the request's
 * start, can see a tenant that middleware resolves later (see docs/architecture.md, "Known
 * technical facts").
 */
import { context, createContextKey, type Context } from '@opentelemetry/api';

/** The tenant slot of one request or one `withTenant` scope. */
export interface TenantSlot {
  /** The resolved tenant id; undefined until resolution, and when the tenant is unknown. */
  tenantId: string | undefined;
}

const TENANT_SLOT = createContextKey('tenantry.tenant-slot');

/** The tenant slot of a context, if any. */
export function tenantSlot(ctx: Context): TenantSlot | undefined {
  return ctx.getValue(TENANT_SLOT) as TenantSlot | undefined;
}

/** A context carrying the given slot. */
export function withTenantSlot(ctx: Context, slot: TenantSlot): Context {
  return ctx.setValue(TENANT_SLOT, slot);
}

/**
 * Runs `fn` with `tenantId` as the current tenant: every span started inside carries
 * `tenant.id`, outgoing calls to internal hosts carry it as baggage, and log lines
 * written through `tenantLogMixin` carry it. Use it for work outside an HTTP request
 * (queue consumers, scheduled jobs). Needs a running SDK (a context manager); with
 * `OTEL_SDK_DISABLED=true` it simply calls `fn`.
 */
export function withTenant<T>(tenantId: string, fn: () => T): T {
  return context.with(withTenantSlot(context.active(), { tenantId }), fn);
}

/** The tenant of the current request or `withTenant` scope, or undefined. */
export function currentTenant(): string | undefined {
  return tenantSlot(context.active())?.tenantId;
}
