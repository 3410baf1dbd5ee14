/**
 * What Tenantry's own instrumentations (HTTP server, pg, ioredis) share: finding the
 * patchable exports whichever module system loaded the package, the "is there a
 * recording span to hang this on" test that lets an unsampled request skip all span
 * work, and ending a span as failed.
 */
import { SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';

/** The CommonJS exports of a package, given them or an ES module namespace (import-in-the-middle). */
export function moduleExports<T extends object>(module: unknown): Partial<T> {
  const candidate = module as { [Symbol.toStringTag]?: string; default?: Partial<T> };
  return candidate[Symbol.toStringTag] === 'Module' ? (candidate.default ?? {}) : (module as Partial<T>);
}

/** The span of `ctx` when it records; undefined outside a request or in one that is not sampled. */
export function recordingSpan(ctx: Context): Span | undefined {
  const span = trace.getSpan(ctx);
  return span !== undefined && span.isRecording() ? span : undefined;
}

/** Marks `span` failed with `errorType` (when known) as `error.type`, and ends it. */
export function endFailed(span: Span, errorType: string | undefined): void {
  if (errorType !== undefined) span.setAttribute(ATTR_ERROR_TYPE, errorType);
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}
