// The types the dashboard check turns into JSON Schema (ts-json-schema-generator), all from @grafana/schema
// except PrometheusQuery: Grafana moved the Prometheus query type out of @grafana/schema (grafana#83808).
import type { DataQuery } from '@grafana/schema';
import type * as stat from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen';
import type * as timeseries from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';

// The classic dashboard model (schemaVersion 4x) that Grafana provisions from files and ConfigMaps.
export type { Dashboard } from '@grafana/schema/dist/esm/raw/dashboard/x/Dashboard_types.gen';

export type TimeSeriesOptions = timeseries.Options;
export type TimeSeriesFieldConfig = timeseries.FieldConfig;
export type StatOptions = stat.Options;

// The Prometheus DataQuery kind (v0.0) as Grafana published it before grafana#83808 removed it from this package;
// grafana/cog keeps the same fields in schemas/composable/prometheus/dataquery.cue.
export interface PrometheusQuery extends DataQuery {
    expr: string;
    instant?: boolean;
    range?: boolean;
    exemplar?: boolean;
    editorMode?: 'code' | 'builder';
    format?: 'time_series' | 'table' | 'heatmap';
    legendFormat?: string;
    intervalFactor?: number;
}
