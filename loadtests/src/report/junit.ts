/**
 * JUnit XML of a k6 run: one test case per threshold, grouped by tenant, so CI test
 * reporters show which tenant crossed which budget.
 */
import { tenantOfMetric } from '../thresholds.js';
import type { ThresholdOutcome } from './summary-data.js';

/** Test cases named `<metric> <expression>`, class `tenant.<id>` for tenant sub-metrics, `overall` otherwise. */
export function renderJUnit(outcomes: readonly ThresholdOutcome[], durationSeconds: number, tenantTag: string): string {
  const failures = outcomes.filter((o) => !o.ok).length;
  const cases = outcomes.map((outcome) => {
    const tenant = tenantOfMetric(outcome.metric, tenantTag);
    const classname = tenant === undefined ? 'overall' : `tenant.${tenant}`;
    const name = `${outcome.metric.split('{')[0] ?? outcome.metric} ${outcome.expression}`;
    const observed = outcome.observed === undefined ? 'no value' : `observed ${round(outcome.observed)}`;
    const open = `    <testcase classname="${xml(classname)}" name="${xml(name)}" time="0">`;
    if (outcome.ok) return `${open}<system-out>${xml(observed)}</system-out></testcase>`;
    return `${open}<failure message="${xml(`${outcome.metric} ${outcome.expression}: ${observed}`)}" type="threshold"/></testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="k6" tests="${outcomes.length}" failures="${failures}" time="${round(durationSeconds)}">`,
    `  <testsuite name="k6 thresholds" tests="${outcomes.length}" failures="${failures}" errors="0" time="${round(durationSeconds)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function round(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
