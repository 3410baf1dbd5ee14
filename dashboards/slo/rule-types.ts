/** The Prometheus rule file format (https://prometheus.io/docs/prometheus/latest/configuration/recording_rules/). */

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  readonly name: string;
  /** @default - Prometheus' global evaluation_interval */
  readonly interval?: string;
  readonly rules: readonly Rule[];
}

/** One rule file: what Prometheus loads, and what becomes one PrometheusRule object. */
export interface RuleFile {
  /** File name without directory, e.g. `slo-sli.yaml`. */
  readonly name: string;
  readonly groups: readonly RuleGroup[];
}

export const isAlertingRule = (rule: Rule): rule is AlertingRule => 'alert' in rule;
