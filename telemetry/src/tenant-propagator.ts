/**
 * The propagator that opens a tenant slot at the start of every inbound request. The
 * HTTP instrumentation calls `extract` in the context the request starts in, the one
 * in which it later records `http.server.request.duration`; a slot created there is
 * seen by the metric view once middleware has filled it.
 *
 * It reads nothing from the wire: inbound `baggage` is not put into the context, so
 * baggage from the internet never reaches outgoing calls (a trusted peer's `tenant.id`
 * is read from the request's header by the resolver).
 * It injects nothing either: the tenant goes out as baggage only to internal hosts
 * (see outbound-baggage.ts).
 */
import type { Context, TextMapPropagator } from '@opentelemetry/api';
import { withTenantSlot } from './tenant-context.js';

export class TenantSlotPropagator implements TextMapPropagator {
  inject(): void {
    // Outbound baggage is written by the HTTP and undici request hooks, which know the destination.
  }

  extract(ctx: Context): Context {
    return withTenantSlot(ctx, { tenantId: undefined });
  }

  fields(): string[] {
    return [];
  }
}
