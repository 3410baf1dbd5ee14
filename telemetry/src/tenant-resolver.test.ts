import type { IncomingMessage } from 'node:http';
import { loadCatalog } from '@tenantry/catalog';
import { describe, expect, it } from 'vitest';
import { TenantResolver, baggageTenant } from './tenant-resolver.js';

const catalog = loadCatalog();

function request(headers: Record<string, string>, remoteAddress = '203.0.113.5'): IncomingMessage {
  return { headers, socket: { remoteAddress } } as unknown as IncomingMessage;
}

describe('TenantResolver.resolve()', () => {
  const resolver = new TenantResolver({ catalog, environment: 'staging' });

  it('finds the tenant of a platform hostname, ignoring case, port and a trailing dot', () => {
    expect(resolver.resolve(request({ host: 'NorthWind.Staging.Tenantry.App.:8443' }))).toEqual({ known: true, tenantId: 'northwind', source: 'host' });
  });

  it('knows only the hostnames of its environment', () => {
    const result = resolver.resolve(request({ host: 'northwind.tenantry.app' }));
    expect(result).toEqual({ known: false, reason: 'no tenant answers on host "northwind.tenantry.app"' });
  });

  it('serves every environment when none is named', () => {
    const everywhere = new TenantResolver({ catalog, environment: undefined });
    expect(everywhere.resolve(request({ host: 'northwind.tenantry.app' }))).toMatchObject({ known: true, tenantId: 'northwind' });
  });

  it('reports a request without a Host header', () => {
    expect(resolver.resolve(request({}))).toEqual({ known: false, reason: 'the request names no tenant' });
  });

  it('accepts a verified token that agrees with the host, and refuses one that does not', () => {
    const withToken = (claim: string | undefined) => new TenantResolver({ catalog, environment: 'staging', tokenTenantResolver: () => claim });
    expect(withToken('northwind').resolve(request({ host: 'northwind.staging.tenantry.app' }))).toEqual({ known: true, tenantId: 'northwind', source: 'token' });
    expect(withToken('harbor-law').resolve(request({ host: 'northwind.staging.tenantry.app' }))).toEqual({
      known: false,
      reason: 'the token\'s tenant "harbor-law" does not match the request\'s tenant "northwind"',
    });
    expect(withToken('harbor-law').resolve(request({ host: 'api.internal' }))).toEqual({ known: true, tenantId: 'harbor-law', source: 'token' });
    expect(withToken(undefined).resolve(request({ host: 'northwind.staging.tenantry.app' }))).toMatchObject({ source: 'host' });
  });

  it('refuses the tenant, without throwing, when the token hook throws', () => {
    const failing = new TenantResolver({
      catalog,
      environment: 'staging',
      tokenTenantResolver: () => {
        throw new Error('bad signature');
      },
    });
    expect(failing.resolve(request({ host: 'northwind.staging.tenantry.app' }))).toEqual({ known: false, reason: 'the token could not be read' });
  });

  it('uses a custom tenant header from trusted peers only', () => {
    const trusting = new TenantResolver({ catalog, environment: 'staging', trustedProxies: ['10.0.0.0/8'], tenantHeader: 'X-Org' });
    expect(trusting.resolve(request({ 'x-org': 'ledgerline' }, '10.1.1.1'))).toEqual({ known: true, tenantId: 'ledgerline', source: 'header' });
    expect(trusting.resolve(request({ 'x-org': 'ledgerline' }, '198.51.100.1'))).toMatchObject({ known: false });
  });
});

describe('baggageTenant()', () => {
  it('reads tenant.id among other members, with properties and percent-encoding', () => {
    expect(baggageTenant('a=1, tenant.id = harbor%2Dlaw ;ttl=5,b=2')).toBe('harbor-law');
  });

  it('reads nothing from a header without tenant.id or with a broken encoding', () => {
    expect(baggageTenant('tenant=harbor-law')).toBeUndefined();
    expect(baggageTenant('tenant.id=%E0%A4%A')).toBeUndefined();
    expect(baggageTenant(undefined)).toBeUndefined();
  });
});
