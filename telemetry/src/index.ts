/**
 * @tenantry/telemetry: OpenTelemetry for Tenantry services. The tenant on every span,
 * on `http.server.request.duration` (bounded to catalog ids) and on every log line;
 * forged tenant headers and baggage from outside the trust boundary are ignored.
 * See docs/telemetry.md.
 */
export {
  DEFAULT_INTERNAL_HOSTS,
  INTERNAL_HOSTS_VARIABLE,
  PROMETHEUS_PORT_VARIABLE,
  runningTelemetry,
  startTelemetry,
  type PrometheusOptions,
  type TelemetryHandle,
  type TelemetryOptions,
} from './sdk.js';
export { DEFAULT_INSTRUMENTATIONS, ENABLE_INSTRUMENTATIONS_VARIABLE, UNTRACED_PATHS_VARIABLE, type OptionalInstrumentation } from './instrumentations.js';
export { PREAMBLE_SPANS_VARIABLE } from './pg-instrumentation.js';
export { DROPPED_METRICS, KEEP_INSTRUMENTATION_METRICS_VARIABLE } from './dropped-metrics.js';
export { currentTenant, withTenant } from './tenant-context.js';
export {
  DEFAULT_TENANT_HEADER,
  TenantResolver,
  type TenantResolution,
  type TenantResolverProps,
  type TenantSource,
  type TokenTenantResolver,
} from './tenant-resolver.js';
export { TENANT_HEADER_VARIABLE, TRUSTED_PROXIES_VARIABLE, defaultTenantResolver } from './default-resolver.js';
export { tenantOf, type TenantMiddlewareOptions } from './middleware/enter-tenant.js';
export { setHttpRoute } from './http-route.js';
export { tenantRequestHandler, type TenantAwareHandler } from './middleware/node-http.js';
export { expressTenantMiddleware, type ExpressMiddleware } from './middleware/express.js';
export { fastifyTenantPlugin, type FastifyHookHost, type FastifyTenantPlugin } from './middleware/fastify.js';
export { pinoOptions, tenantLogMixin, type LogMixin, type TenantLogFields } from './pino.js';
/** The span attribute and baggage key, so a service needs no second import for them. */
export { TENANT_ATTRIBUTE, TENANT_BAGGAGE_KEY, UNKNOWN_TENANT } from '@tenantry/conventions';
