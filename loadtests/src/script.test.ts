/**
 * The bundled k6 script, run in Node against a stand-in of the three k6 modules it
 * imports (k6 cannot be installed here). It proves the wiring the pure-module tests
 * cannot: `open()` of tenants.json beside the script, `options` from the profile, the
 * request each iteration sends, and `handleSummary`'s files.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Options } from 'k6/options';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLoadTests } from '../build.js';
import { SLOW_HARBOR_SUMMARY } from './report/example-summary.fixture.js';

interface SentRequest {
  readonly method: string;
  readonly url: string;
  readonly body: string | null;
  readonly params: { headers: Record<string, string>; tags: Record<string, string>; responseCallback?: { statuses: number[] } };
}

interface K6StandIn {
  env: Record<string, string>;
  scenario: { name: string; iterationInTest: number };
  sent: SentRequest[];
  checks: Array<{ tags: Record<string, string> }>;
  nextProjectId: number;
}

const STAND_IN_MODULES: Record<string, string> = {
  'index.js': 'export function check(value, sets, tags) { globalThis.k6StandIn.checks.push({ tags }); return Object.values(sets).every((f) => f(value)); }\n',
  'http.js': [
    'export default {',
    '  expectedStatuses: (...statuses) => ({ statuses }),',
    '  request(method, url, body, params) {',
    '    const s = globalThis.k6StandIn; s.sent.push({ method, url, body, params });',
    '    return method === "POST" ? { status: 201, body: JSON.stringify({ id: `project-${++s.nextProjectId}` }) } : { status: 200, body: null };',
    '  },',
    '};',
  ].join('\n'),
  'execution.js': 'export default { get scenario() { return globalThis.k6StandIn.scenario; }, test: { abort(reason) { throw new Error(reason); } } };\n',
};

describe('the bundled k6 script', () => {
  let directory: string;
  let script: { options: Options; default: () => void; handleSummary: (data: unknown) => Record<string, string> };
  const standIn: K6StandIn = { env: { PROFILE: 'smoke', BASE_URL: 'http://target.test:8080' }, scenario: { name: '', iterationInTest: 0 }, sent: [], checks: [], nextProjectId: 0 };

  beforeAll(async () => {
    directory = mkdtempSync(join(process.cwd(), 'loadtests', '.script-run-'));
    const { script: scriptPath } = await buildLoadTests({ outputDirectory: directory, environment: 'staging' });
    mkdirSync(join(directory, 'node_modules', 'k6'), { recursive: true });
    writeFileSync(
      join(directory, 'node_modules', 'k6', 'package.json'),
      JSON.stringify({ name: 'k6', type: 'module', exports: { '.': './index.js', './http': './http.js', './execution': './execution.js' } }),
    );
    for (const [name, code] of Object.entries(STAND_IN_MODULES)) writeFileSync(join(directory, 'node_modules', 'k6', name), code);
    const globals = globalThis as unknown as Record<string, unknown>;
    globals['k6StandIn'] = standIn;
    globals['__ENV'] = standIn.env;
    // k6's open() resolves relative to the script; the stand-in does the same.
    globals['open'] = (path: string) => readFileSync(join(directory, path), 'utf8');
    const modulePath = join(directory, 'script.mjs');
    writeFileSync(modulePath, readFileSync(scriptPath, 'utf8'));
    script = (await import(pathToFileURL(modulePath).href)) as typeof script;
  });

  afterAll(() => {
    for (const name of ['k6StandIn', '__ENV', 'open']) delete (globalThis as unknown as Record<string, unknown>)[name];
    rmSync(directory, { recursive: true, force: true });
  });

  it('builds options for every tenant of tenants.json with the chosen profile', () => {
    expect(Object.keys(script.options.scenarios ?? {}).sort()).toEqual(['tenant_brightwave', 'tenant_harbor-law', 'tenant_ledgerline', 'tenant_northwind']);
    expect(script.options.thresholds?.['http_req_duration{tenant:harbor-law}']).toEqual([{ threshold: 'p(95)<150', abortOnFail: true, delayAbortEval: '10s' }]);
  });

  it("sends each iteration to BASE_URL with the scenario's tenant as Host header and tag", () => {
    standIn.sent.length = 0;
    standIn.scenario = { name: 'tenant_harbor-law', iterationInTest: 0 };
    script.default();
    const [request] = standIn.sent;
    expect(request?.method).toBe('GET');
    expect(request?.url).toBe('http://target.test:8080/api/projects');
    expect(request?.params.headers['Host']).toBe('harbor-law.staging.tenantry.app');
    expect(request?.params.tags).toEqual({ tenant: 'harbor-law', name: 'GET /api/projects' });
    expect(standIn.checks.at(-1)?.tags).toEqual({ tenant: 'harbor-law', name: 'GET /api/projects' });
  });

  it('reads back the project it created, and accepts the plan-limit 403 on create', () => {
    standIn.sent.length = 0;
    for (let i = 1; i <= 2; i++) {
      standIn.scenario = { name: 'tenant_ledgerline', iterationInTest: i };
      script.default();
    }
    const [create, get] = standIn.sent;
    expect(create?.method).toBe('POST');
    expect(create?.params.responseCallback).toEqual({ statuses: [201, 403] });
    expect(get?.url).toBe(`http://target.test:8080/api/projects/project-${standIn.nextProjectId}`);
    expect(get?.params.tags['name']).toBe('GET /api/projects/:id');
  });

  it('writes the JSON, Markdown and JUnit summaries from handleSummary', () => {
    const files = script.handleSummary(SLOW_HARBOR_SUMMARY);
    expect(Object.keys(files).sort()).toEqual(['./loadtest-junit.xml', './loadtest-summary.json', './loadtest-summary.md', './loadtest-verdict.json', 'stdout']);
    expect(files['stdout']).toMatch(/\| harbor-law +\| 1740 .*FAIL/);
  });
});
