#!/usr/bin/env node
// Checks a Grafana dashboard offline, as CI has no Grafana server:
//  1. against JSON Schemas generated (on every run, so they cannot go stale) from @grafana/schema's TypeScript
//     types: the dashboard model, the timeseries/stat panel options and a Prometheus query per target;
//  2. every target's PromQL parses: each expr, with Grafana's variables replaced by sample values, becomes a
//     recording rule that `promtool check rules` parses (promtool 2.42 has no command that parses one expression).
// Usage: node tools/check-dashboard.mjs [dashboard.json]   (PROMTOOL overrides the promtool on the PATH)
// Exit status 0 when the dashboard passes, 1 with the reasons on stderr when it does not, 2 when a tool is missing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

// Sample values for the variables Grafana fills in before a query reaches Prometheus.
const VARIABLES = {
  __rate_interval: '1m',
  __interval: '30s',
  __range: '1h',
  job: 'agentnexus',
  namespace: 'agentnexus',
};

// Panel plugins this dashboard may use, with the generated type of their options and fieldConfig.defaults.custom.
const PLUGINS = {
  timeseries: { options: 'TimeSeriesOptions', custom: 'TimeSeriesFieldConfig' },
  stat: { options: 'StatOptions', custom: null },
};

function loadTools() {
  try {
    return { tsj: require('ts-json-schema-generator'), Ajv: require('ajv').default };
  } catch (e) {
    fail(2, `the k8s tools are not installed (${e.code ?? e.message}): run \`cd k8s && npm ci\``);
  }
}

function fail(status, message) {
  process.stderr.write(message.endsWith('\n') ? message : message + '\n');
  process.exit(status);
}

function generateSchemas(tsj) {
  // expose "none" inlines every referenced type: @grafana/schema has two types named DataQuery (raw and veneer),
  // which the generator refuses to put side by side under one name in "definitions".
  const generator = tsj.createGenerator({
    path: join(here, 'dashboard-types.ts'),
    tsconfig: join(here, 'tsconfig.json'),
    expose: 'none',
    topRef: true,
    jsDoc: 'basic',
    additionalProperties: false,
  });
  const types = ['Dashboard', 'PrometheusQuery', ...Object.values(PLUGINS).flatMap((p) => [p.options, p.custom])];
  return Object.fromEntries(types.filter(Boolean).map((type) => [type, generator.createSchema(type)]));
}

function panelsOf(dashboard) {
  return (dashboard.panels ?? []).flatMap((panel) => [panel, ...(panel.type === 'row' ? panel.panels ?? [] : [])]);
}

function schemaErrors(dashboard, schemas, Ajv) {
  // strict: the generated schemas may use only keywords ajv knows (type unions like string|number are fine);
  // allErrors: report every problem at once.
  const ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: true });
  const validators = Object.fromEntries(Object.entries(schemas).map(([type, schema]) => [type, ajv.compile(schema)]));
  const errors = [];
  const check = (type, value, where) => {
    if (!validators[type](value)) {
      for (const e of closestBranches(validators[type].errors)) {
        const detail = e.keyword === 'additionalProperties' ? `unknown field "${e.params.additionalProperty}"` : e.message;
        errors.push(`${where}${e.instancePath}: ${detail} (${type})`);
      }
    }
  };
  check('Dashboard', dashboard, 'dashboard');
  panelsOf(dashboard).forEach((panel) => {
    const where = `panel ${panel.id} "${panel.title}"`;
    if (panel.type === 'row') return;
    const plugin = PLUGINS[panel.type];
    if (!plugin) {
      errors.push(`${where}: panel type "${panel.type}" has no schema here (known: ${Object.keys(PLUGINS).join(', ')})`);
      return;
    }
    check(plugin.options, panel.options ?? {}, `${where} options`);
    const custom = panel.fieldConfig?.defaults?.custom;
    if (plugin.custom) {
      check(plugin.custom, custom ?? {}, `${where} fieldConfig.defaults.custom`);
    } else if (custom !== undefined) {
      errors.push(`${where}: a ${panel.type} panel has no fieldConfig.defaults.custom`);
    }
    (panel.targets ?? []).forEach((target, i) => check('PrometheusQuery', target, `${where} targets[${i}]`));
    if (!(panel.targets ?? []).length) errors.push(`${where}: no targets`);
  });
  return errors;
}

// ajv reports the errors of every branch of a failed anyOf (a panel is Panel | RowPanel): keep the branch with the
// fewest, so that a misspelt field of a timeseries panel is not buried under "must have required property 'collapsed'".
function closestBranches(errors) {
  let kept = errors.filter((e) => e.keyword !== 'anyOf');
  for (const anyOf of errors.filter((e) => e.keyword === 'anyOf')) {
    const prefix = `${anyOf.schemaPath}/`;
    const branchOf = (e) => (e.schemaPath.startsWith(prefix) && e.instancePath.startsWith(anyOf.instancePath)
      ? e.schemaPath.slice(prefix.length).split('/')[0] : null);
    const counts = {};
    kept.forEach((e) => { const b = branchOf(e); if (b !== null) counts[b] = (counts[b] ?? 0) + 1; });
    const best = Object.keys(counts).sort((a, b) => counts[a] - counts[b])[0];
    if (best === undefined) kept.push(anyOf);
    else kept = kept.filter((e) => [null, best].includes(branchOf(e)));
  }
  return kept;
}

function substitute(expr) {
  return expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced, bare) => {
    const value = VARIABLES[braced ?? bare];
    if (value === undefined) throw new Error(`unknown Grafana variable ${whole}`);
    return value;
  });
}

function promqlErrors(dashboard) {
  const errors = [];
  const groups = [];
  panelsOf(dashboard).forEach((panel) => (panel.targets ?? []).forEach((target) => {
    const where = `panel ${panel.id} "${panel.title}" target ${target.refId}`;
    if (typeof target.expr !== 'string') return; // the schema check reports it
    try {
      // One group per target, so that promtool's "group ..." names the panel whose expression fails.
      groups.push({ name: where, rules: [{ record: 'dashboard:check', expr: substitute(target.expr) }] });
    } catch (e) {
      errors.push(`${where}: ${e.message}`);
    }
  }));
  if (!groups.length) return errors;
  const dir = mkdtempSync(join(tmpdir(), 'dashboard-promql-'));
  const rules = join(dir, 'dashboard-exprs.json'); // promtool reads YAML, and JSON is YAML
  writeFileSync(rules, JSON.stringify({ groups }, null, 1));
  const promtool = process.env.PROMTOOL || 'promtool';
  try {
    execFileSync(promtool, ['check', 'rules', rules], { encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    if (e.code === 'ENOENT') fail(2, `promtool not found (${promtool}): install Debian's prometheus package`);
    errors.push(`promtool check rules failed:\n${e.stdout}${e.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return errors;
}

const file = resolve(process.argv[2] ?? join(here, '..', 'monitoring', 'grafana-dashboard.json'));
const { tsj, Ajv } = loadTools();
let dashboard;
try {
  dashboard = JSON.parse(readFileSync(file, 'utf8'));
} catch (e) {
  fail(1, `${file}: ${e.message}`);
}
const errors = [...schemaErrors(dashboard, generateSchemas(tsj), Ajv), ...promqlErrors(dashboard)];
if (errors.length) fail(1, `${file} fails its checks:\n- ${errors.join('\n- ')}`);
const exprs = panelsOf(dashboard).flatMap((p) => p.targets ?? []).length;
console.log(`${file}: valid against the Grafana dashboard schema; ${exprs} PromQL expressions parse`);
