/**
 * The OpenTelemetry Collector as a Helm release (deployment mode): receives OTLP traces
 * and logs from services (gRPC 4317, HTTP 4318) and forwards them to the trace and log
 * stores. Metrics do not pass through it: Prometheus scrapes services directly, so the
 * metric names stay those of @tenantry/conventions.
 */
import { Release } from '@cdktf/provider-helm/lib/release/index.js';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { OPENTELEMETRY_COLLECTOR_CHART } from './charts.js';

export interface OpenTelemetryCollectorProps {
  readonly namespace: string;
  /** OTLP/HTTP endpoint traces are exported to, e.g. `http://tempo.observability:4318`. */
  readonly tracesEndpoint: string;
  /** OTLP/HTTP endpoint logs are exported to, e.g. `http://loki.observability:3100/otlp`. */
  readonly logsEndpoint: string;
  /** @default 'otel-collector' */
  readonly releaseName?: string;
  /** @default 2 */
  readonly replicas?: number;
  /**
   * What the release waits for, e.g. the release that creates its namespace.
   * @default - nothing
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

interface OtlpHttpExporter {
  readonly endpoint: string;
}

/** The chart values Tenantry sets (the Collector configuration is merged into the chart's default). */
export interface OpenTelemetryCollectorValues {
  readonly mode: 'deployment';
  readonly replicaCount: number;
  readonly image: { readonly repository: string };
  readonly config: {
    readonly receivers: { readonly otlp: { readonly protocols: { readonly grpc: { readonly endpoint: string }; readonly http: { readonly endpoint: string } } } };
    readonly processors: { readonly batch: Record<string, never>; readonly memory_limiter: { readonly check_interval: string; readonly limit_percentage: number; readonly spike_limit_percentage: number } };
    readonly exporters: { readonly 'otlphttp/traces': OtlpHttpExporter; readonly 'otlphttp/logs': OtlpHttpExporter };
    readonly service: {
      readonly pipelines: Record<'traces' | 'logs', { readonly receivers: string[]; readonly processors: string[]; readonly exporters: string[] }>;
    };
  };
}

export class OpenTelemetryCollector extends Construct {
  /** OTLP/HTTP endpoint services send to (OTEL_EXPORTER_OTLP_ENDPOINT). */
  readonly openTelemetryCollectorEndpoint: string;
  readonly release: Release;

  constructor(scope: Construct, id: string, props: OpenTelemetryCollectorProps) {
    super(scope, id);
    const name = props.releaseName ?? 'otel-collector';
    const processors = ['memory_limiter', 'batch'];
    const values: OpenTelemetryCollectorValues = {
      mode: 'deployment',
      replicaCount: props.replicas ?? 2,
      image: { repository: 'otel/opentelemetry-collector-k8s' },
      config: {
        receivers: { otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } } },
        processors: { batch: {}, memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 25 } },
        exporters: { 'otlphttp/traces': { endpoint: props.tracesEndpoint }, 'otlphttp/logs': { endpoint: props.logsEndpoint } },
        service: {
          pipelines: {
            traces: { receivers: ['otlp'], processors, exporters: ['otlphttp/traces'] },
            logs: { receivers: ['otlp'], processors, exporters: ['otlphttp/logs'] },
          },
        },
      },
    };
    this.release = new Release(this, 'release', {
      name,
      namespace: props.namespace,
      createNamespace: true,
      repository: OPENTELEMETRY_COLLECTOR_CHART.repository,
      chart: OPENTELEMETRY_COLLECTOR_CHART.chart,
      version: OPENTELEMETRY_COLLECTOR_CHART.version,
      atomic: true,
      cleanupOnFail: true,
      values: [stringify(values)],
      ...(props.dependsOn ? { dependsOn: [...props.dependsOn] } : {}),
    });
    // The chart names the Service after the release, with the "-opentelemetry-collector" suffix.
    this.openTelemetryCollectorEndpoint = `http://${name}-opentelemetry-collector.${props.namespace}:4318`;
  }
}
