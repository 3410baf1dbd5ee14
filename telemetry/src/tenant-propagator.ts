/**
 * The propagator that opens a tenant slot at the start of every inbound request. The
 * HTTP instrumentation calls `extract` in the context the request starts in, the one
 * in which it later records `http.server.request.duration`; a slot created there is
 * seen by the metric view once middleware has filled it.
 *
 * It reads nothing from the wire into the tenant: inbound `baggage` is set aside in
 * the slot (a trusted peer's `tenant.id` is read from it by the resolver) and is not
 * put into the context, so baggage from the internet never reaches outgoing calls.
 * It injects nothing either: the tenant goes out as baggage only to internal hosts
 * (see outbound-baggage.ts).
 */
import type { Context, TextMapGetter, TextMapPropagator } from '@opentelemetry/api';
import { withTenantSlot } from './tenant-context.js';

export class TenantSlotPropagator implements TextMapPropagator {
  inject(): void {
    // Outbound baggage is written by the HTTP and undici request hooks, which know the destination.
  }

  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    const baggage = getter.get(carrier, 'baggage');
    return withTenantSlot(ctx, { tenantId: undefined, inboundBaggage: Array.isArray(baggage) ? baggage.join(',') : baggage });
  }

  fields(): string[] {
    return [];
  }
}
