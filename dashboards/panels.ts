/**
 * Reads panels and their PromQL back out of built dashboards: what the dashboard tests,
 * the live-Prometheus test and the ConfigMap construct walk over.
 */
import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';

export interface PanelQuery {
  readonly dashboardUid: string;
  readonly panelTitle: string;
  readonly refId: string | undefined;
  readonly expr: string;
}

export function dataPanels(dashboard: Dashboard): Panel[] {
  return (dashboard.panels ?? []).filter((p): p is Panel => (p as RowPanel).type !== 'row');
}

export function panelQueries(dashboard: Dashboard): PanelQuery[] {
  return dataPanels(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((target) => {
      const t = target as { expr?: unknown; refId?: string };
      if (typeof t.expr !== 'string') throw new Error(`panel "${panel.title}" of ${dashboard.uid} has a target without a PromQL expression`);
      return { dashboardUid: dashboard.uid ?? '', panelTitle: panel.title ?? '', refId: t.refId, expr: t.expr };
    }),
  );
}
