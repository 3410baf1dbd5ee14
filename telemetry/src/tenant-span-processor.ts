/**
 * Copies the current tenant onto every span when it starts: client, pg, ioredis and
 * custom spans alike. The server span starts before the tenant is known; middleware
 * sets it there (see middleware/enter-tenant.ts).
 */
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { TENANT_ATTRIBUTE } from '@tenantry/conventions';
import { tenantSlot } from './tenant-context.js';

export class TenantSpanProcessor implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    const tenantId = tenantSlot(parentContext)?.tenantId;
    if (tenantId !== undefined) span.setAttribute(TENANT_ATTRIBUTE, tenantId);
  }

  onEnd(_span: ReadableSpan): void {
    // Nothing to do when a span ends: the attribute was set at its start.
  }

  forceFlush(): Promise<void> {
    return Promise.resolve(); // holds no spans
  }

  shutdown(): Promise<void> {
    return Promise.resolve(); // holds no resources
  }
}
