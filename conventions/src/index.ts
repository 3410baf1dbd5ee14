/**
 * @tenantry/conventions: the names every Tenantry folder shares (metric, label, span
 * attribute and SLO series names, bucket boundaries). No runtime dependencies, so the
 * canary image and the dashboards build get the names without the OpenTelemetry SDK.
 * PromQL is built only by `@tenantry/conventions/promql`. See docs/architecture.md.
 */
export * from './metrics.js';
export * from './slo-objectives.js';
export * from './slo-series.js';
