import { cpSync, mkdtempSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CatalogValidationError } from './errors.js';
import { exampleCatalogDirectory, loadCatalog, selectEnvironments } from './loader.js';
import type { CatalogIssue } from './types.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the example catalog, with `files` (path → YAML text, or null to delete) applied. */
function catalogWith(files: Record<string, string | null>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tenantry-catalog-'));
  made.push(dir);
  cpSync(join(exampleCatalogDirectory(), 'environments'), join(dir, 'environments'), { recursive: true });
  cpSync(join(exampleCatalogDirectory(), 'tenants'), join(dir, 'tenants'), { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    if (content === null) unlinkSync(join(dir, path));
    else writeFileSync(join(dir, path), content);
  }
  return dir;
}

function issuesOf(directory: string): CatalogIssue[] {
  try {
    loadCatalog({ directory });
  } catch (error) {
    if (error instanceof CatalogValidationError) return [...error.issues];
    throw error;
  }
  throw new Error('expected the catalog to be rejected');
}

const tenant = (fields: string): string => `tier: pooled\nplan: starter\nname: Test tenant\n${fields}\n`;

describe('loadCatalog', () => {
  it('loads the example catalog with plan defaults applied', () => {
    const catalog = loadCatalog();
    expect(catalog.environments.map((e) => e.name)).toEqual(['prod', 'staging']);
    expect(catalog.tenants.map((t) => [t.id, t.tier])).toEqual([
      ['brightwave', 'pooled'],
      ['harbor-law', 'dedicated'],
      ['ledgerline', 'schema'],
      ['northwind', 'pooled'],
    ]);
    const brightwave = catalog.tenants[0]!;
    expect(brightwave.slo).toEqual({ p95LatencyMs: 200, errorRate: 0.01, availability: 0.999 });
    expect(brightwave.subdomain).toBe('brightwave');
    expect(catalog.tenants.find((t) => t.id === 'harbor-law')?.namespace).toBe(true);
  });

  it('reads another directory named by TENANTRY_CATALOG', () => {
    const dir = catalogWith({ 'tenants/northwind.yaml': null });
    const previous = process.env['TENANTRY_CATALOG'];
    process.env['TENANTRY_CATALOG'] = dir;
    try {
      expect(loadCatalog().tenants.map((t) => t.id)).not.toContain('northwind');
    } finally {
      if (previous === undefined) delete process.env['TENANTRY_CATALOG'];
      else process.env['TENANTRY_CATALOG'] = previous;
    }
  });

  describe('tenant rules', () => {
    it.each([
      ['an id that breaks the pattern', 'tenants/Bad_Id.yaml', tenant('id: Bad_Id'), 'id', /must match/],
      ['an id of two characters', 'tenants/ab.yaml', tenant('id: ab'), 'id', /must match/],
      ['an id that differs from its file name', 'tenants/acme.yaml', tenant('id: acme-corp'), 'id', /must equal the file name "acme"/],
      ['an unknown tier', 'tenants/acme.yaml', 'id: acme\nname: A\ntier: shared\nplan: starter\n', 'tier', /must be one of pooled, schema, dedicated/],
      ['an unknown plan', 'tenants/acme.yaml', 'id: acme\nname: A\ntier: pooled\nplan: gold\n', 'plan', /must be one of starter, business, enterprise/],
      ['a p95 budget of 0 ms', 'tenants/acme.yaml', tenant('id: acme\nslo: { p95LatencyMs: 0 }'), 'slo.p95LatencyMs', /between 1 and 10000 ms/],
      ['a p95 budget above 10 s', 'tenants/acme.yaml', tenant('id: acme\nslo: { p95LatencyMs: 10001 }'), 'slo.p95LatencyMs', /between 1 and 10000 ms/],
      ['an error rate above 1', 'tenants/acme.yaml', tenant('id: acme\nslo: { errorRate: 1.5 }'), 'slo.errorRate', /between 0 and 1/],
      ['an availability below 0.9', 'tenants/acme.yaml', tenant('id: acme\nslo: { availability: 0.5 }'), 'slo.availability', /between 0.9 and 0.99999/],
      ['an availability above 0.99999', 'tenants/acme.yaml', tenant('id: acme\nslo: { availability: 0.999999 }'), 'slo.availability', /between 0.9 and 0.99999/],
      ['an unknown field', 'tenants/acme.yaml', tenant('id: acme\ntierr: dedicated'), 'tierr', /not a known field/],
      ['an unknown nested field', 'tenants/acme.yaml', tenant('id: acme\nslo: { p95: 100 }'), 'slo.p95', /not a known field/],
      ['an invalid custom hostname', 'tenants/acme.yaml', tenant('id: acme\ndomains: { custom: { prod: [Acme_Portal.com] } }'), 'domains.custom.prod[0]', /lowercase DNS hostname/],
      ['a custom hostname under the base domain', 'tenants/acme.yaml', tenant('id: acme\ndomains: { custom: { prod: [portal.tenantry.app] } }'), 'domains.custom.prod[0]', /under the platform base domain tenantry.app/],
      ['custom hostnames for an unknown environment', 'tenants/acme.yaml', tenant('id: acme\ndomains: { custom: { qa: [portal.acme.com] } }'), 'domains.custom.qa', /names no environment/],
      ['a subdomain of two labels', 'tenants/acme.yaml', tenant('id: acme\ndomains: { subdomain: eu.acme }'), 'domains.subdomain', /single DNS label/],
      ['a dedicated tenant without a namespace', 'tenants/acme.yaml', 'id: acme\nname: A\ntier: dedicated\nplan: starter\nnamespace: false\n', 'namespace', /always get their own namespace/],
      ['a database password version of 0', 'tenants/acme.yaml', tenant('id: acme\ndatabasePasswordVersion: 0'), 'databasePasswordVersion', /raise it by one to rotate/],
      ['a file that is not YAML', 'tenants/acme.yaml', 'id: [unclosed', '', /is not valid YAML/],
    ])('rejects %s, naming the file and field', (_name, file, content, field, message) => {
      const issues = issuesOf(catalogWith({ [file]: content }));
      expect(issues).toContainEqual({ file, field, message: expect.stringMatching(message) });
    });

    it('rejects a duplicate id, naming both files', () => {
      const issues = issuesOf(catalogWith({ 'tenants/brightwave.yml': tenant('id: brightwave') }));
      expect(issues).toContainEqual({ file: 'tenants/brightwave.yml', field: 'id', message: expect.stringMatching(/already used by tenants\/brightwave.yaml/) });
    });

    it('rejects a hostname used by two tenants', () => {
      const issues = issuesOf(catalogWith({ 'tenants/zeta.yaml': tenant('id: zeta\ndomains: { custom: { prod: [portal.ledgerline-accounting.com] } }') }));
      expect(issues).toContainEqual({
        file: 'tenants/zeta.yaml',
        field: 'domains.custom.prod[0]',
        message: expect.stringMatching(/already used by tenants\/ledgerline.yaml/),
      });
    });

    it('rejects a subdomain that is another tenant\'s', () => {
      const issues = issuesOf(catalogWith({ 'tenants/acme.yaml': tenant('id: acme\ndomains: { subdomain: northwind }') }));
      expect(issues).toContainEqual({ file: 'tenants/northwind.yaml', field: 'domains.subdomain', message: expect.stringMatching(/already the subdomain of tenants\/acme.yaml/) });
    });

    it('reports every error of every file at once', () => {
      const issues = issuesOf(
        catalogWith({
          'tenants/one.yaml': tenant('id: one\nbogus: 1'),
          'tenants/two.yaml': tenant('id: Two'),
          'tenants/three.yaml': 'id: three\nname: T\ntier: x\nplan: y\n',
        }),
      );
      expect(issues.map((i) => `${i.file}:${i.field}`)).toEqual(
        expect.arrayContaining(['tenants/one.yaml:bogus', 'tenants/two.yaml:id', 'tenants/three.yaml:tier', 'tenants/three.yaml:plan']),
      );
    });

    it('puts every issue in the error message, one per line', () => {
      const dir = catalogWith({ 'tenants/acme.yaml': tenant('id: acme\nbogus: 1\nslo: { errorRate: 2 }') });
      expect(() => loadCatalog({ directory: dir })).toThrow(
        /2 error\(s\):\n {2}- tenants\/acme.yaml: slo.errorRate: must be between 0 and 1.*\n {2}- tenants\/acme.yaml: bogus: is not a known field/,
      );
    });
  });

  describe('environment rules', () => {
    const prod = (edit: (text: string) => string): Record<string, string> => {
      const base = `name: prod
account: "111122223333"
region: eu-west-1
baseDomain: tenantry.app
cloudflare: { zoneId: 0123456789abcdef0123456789abcdef, originHostname: origin.tenantry-origin.net }
network: { cidr: 10.20.0.0/16 }
sizes:
  aurora: { minCapacity: 0.5, maxCapacity: 64 }
  redis: { nodeType: cache.r7g.large, replicas: 1 }
  eks:
    system: { instanceTypes: [m7g.large], minSize: 2, maxSize: 3, desiredSize: 2 }
    workload: { instanceTypes: [m7g.large], minSize: 2, maxSize: 3, desiredSize: 2 }
eks: { adminRoleArn: "arn:aws:iam::111122223333:role/admin" }
`;
      return { 'environments/prod.yaml': edit(base) };
    };

    it('accepts a minimal environment', () => {
      expect(loadCatalog({ directory: catalogWith(prod((t) => t)) }).environments).toHaveLength(2);
    });

    it('defaults to a year of logs and 35 days of AWS Backup recovery points in production, with no copy', () => {
      const env = loadCatalog({ directory: catalogWith(prod((t) => `${t}production: true\n`)) }).environments.find((e) => e.name === 'prod');
      expect(env).toMatchObject({ logRetentionDays: 365, backup: { retentionDays: 35 } });
      expect(env?.backup.copyRegion).toBeUndefined();
    });

    it('defaults to 90 days of logs and 7 days of recovery points elsewhere', () => {
      const env = loadCatalog({ directory: catalogWith(prod((t) => t)) }).environments.find((e) => e.name === 'prod');
      expect(env).toMatchObject({ logRetentionDays: 90, backup: { retentionDays: 7 } });
    });

    it.each([
      ['a missing account id', (t: string) => t.replace('account: "111122223333"\n', ''), 'account', /is required/],
      ['an account id that is not 12 digits', (t: string) => t.replace('"111122223333"', '"1234"'), 'account', /12-digit AWS account id/],
      ['a missing region', (t: string) => t.replace('region: eu-west-1\n', ''), 'region', /is required/],
      ['a missing Cloudflare zone id', (t: string) => t.replace('zoneId: 0123456789abcdef0123456789abcdef, ', ''), 'cloudflare.zoneId', /is required/],
      ['missing sizes', (t: string) => t.replace(/sizes:[\s\S]*?(?=eks: \{)/, ''), 'sizes', /is required/],
      ['min ACU above max ACU', (t: string) => t.replace('minCapacity: 0.5, maxCapacity: 64', 'minCapacity: 16, maxCapacity: 8'), 'sizes.aurora.minCapacity', /above maxCapacity/],
      ['Redis without a replica', (t: string) => t.replace('replicas: 1', 'replicas: 0'), 'sizes.redis.replicas', /at least 1/],
      ['an API endpoint open to the internet', (t: string) => t.replace('role/admin" }', 'role/admin", publicAccessCidrs: [0.0.0.0/0] }'), 'eks.publicAccessCidrs[0]', /must not be open to the internet/],
      ['a name that differs from the file name', (t: string) => t.replace('name: prod', 'name: production'), 'name', /must equal the file name "prod"/],
      ['an unknown field', (t: string) => `${t}regoin: eu-west-2\n`, 'regoin', /not a known field/],
      ['a state bucket without a KMS key', (t: string) => `${t}state: { bucket: tenantry-state }\n`, 'state.kmsKeyArn', /is required: state holds generated passwords/],
      ['a state key that is not a KMS ARN', (t: string) => `${t}state: { bucket: tenantry-state, kmsKeyArn: my-key }\n`, 'state.kmsKeyArn', /must be a KMS key or alias ARN/],
      ['a backup copy in the environment\'s own region', (t: string) => `${t}backup: { copyRegion: eu-west-1 }\n`, 'backup.copyRegion', /does not survive a regional outage/],
      ['a backup copy region that is not a region', (t: string) => `${t}backup: { copyRegion: europe }\n`, 'backup.copyRegion', /must be an AWS region/],
      ['a Redis AUTH token version below 1', (t: string) => `${t}rotation: { redisAuthToken: { version: 0 } }\n`, 'rotation.redisAuthToken.version', /raise it by one to rotate/],
      ['a log retention CloudWatch does not accept', (t: string) => `${t}logRetentionDays: 100\n`, 'logRetentionDays', /one of the retention periods CloudWatch Logs accepts/],
    ])('rejects %s', (_name, edit, field, message) => {
      expect(issuesOf(catalogWith(prod(edit)))).toContainEqual({ file: 'environments/prod.yaml', field, message: expect.stringMatching(message) });
    });
  });
});

describe('selectEnvironments', () => {
  it('returns every environment when none is named', () => {
    expect(selectEnvironments(loadCatalog(), undefined).map((e) => e.name)).toEqual(['prod', 'staging']);
  });

  it('returns the named environment', () => {
    expect(selectEnvironments(loadCatalog(), 'staging').map((e) => e.name)).toEqual(['staging']);
  });

  it('fails on an unknown name, listing the known ones', () => {
    expect(() => selectEnvironments(loadCatalog(), 'qa')).toThrow(/TENANTRY_ENV=qa names no environment of the catalog \(known: prod, staging\)/);
  });
});
