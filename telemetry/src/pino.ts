/**
 * Log correlation for pino: every line written inside a request or `withTenant`
 * scope carries `trace_id`, `span_id` and `tenant.id`. It works with or without the
 * pino instrumentation (which, when it patches pino, merges its own `trace_id` and
 * `span_id` into the same object, so no key appears twice).
 */
import { context, trace } from '@opentelemetry/api';
import { TENANT_ATTRIBUTE } from '@tenantry/conventions';
import { tenantSlot } from './tenant-context.js';

/** The fields the mixin adds. */
export interface TenantLogFields {
  trace_id?: string;
  span_id?: string;
  trace_flags?: string;
  [TENANT_ATTRIBUTE]?: string;
}

/** A pino `mixin` adding trace and tenant fields to every line. */
export function tenantLogMixin(): () => TenantLogFields {
  return () => {
    const active = context.active();
    const fields: TenantLogFields = {};
    const spanContext = trace.getSpanContext(active);
    if (spanContext !== undefined && trace.isSpanContextValid(spanContext)) {
      fields.trace_id = spanContext.traceId;
      fields.span_id = spanContext.spanId;
      fields.trace_flags = `0${spanContext.traceFlags.toString(16)}`;
    }
    const tenantId = tenantSlot(active)?.tenantId;
    if (tenantId !== undefined) fields[TENANT_ATTRIBUTE] = tenantId;
    return fields;
  };
}

/** A pino mixin of any arity (pino passes the merge object, the level and the logger). */
export type LogMixin = (mergeObject: object, level: number, ...rest: unknown[]) => object;

/**
 * pino options with the tenant mixin, merged over `options`:
 * `pino(pinoOptions({ level: 'info' }))`. A `mixin` already in `options` still runs;
 * its fields come after Tenantry's.
 */
export function pinoOptions<T extends object>(options: T = {} as T): T & { mixin: LogMixin } {
  const ours = tenantLogMixin();
  const theirs = (options as { mixin?: (...args: unknown[]) => object }).mixin;
  return { ...options, mixin: theirs === undefined ? ours : (...args: unknown[]) => ({ ...ours(), ...theirs(...args) }) };
}
