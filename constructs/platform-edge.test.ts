import { describe, expect, it } from 'vitest';
import { checkPosture } from '../posture/check-posture.js';
import { PlatformEdge, type PlatformEdgeProps } from './platform-edge.js';
import { synthesizeStack } from '../testing/synthesized-stack.js';

const PROPS: PlatformEdgeProps = {
  zoneId: '0123456789abcdef0123456789abcdef',
  baseDomain: 'tenantry.app',
  originHostname: 'ingress.example.net',
  fallbackOriginHostname: 'saas-origin.tenantry.app',
};
const synth = (props: Partial<PlatformEdgeProps> = {}) => synthesizeStack((stack) => new PlatformEdge(stack, 'Edge', { ...PROPS, ...props }));

describe('PlatformEdge', () => {
  const edge = synth();

  it('sets minimum TLS 1.2, TLS 1.3 on, always HTTPS and strict origin TLS on the zone', () => {
    const settings = Object.fromEntries(edge.resources('cloudflare_zone_setting').map((setting) => [setting.setting_id, setting]));
    expect(settings.min_tls_version).toMatchObject({ zone_id: PROPS.zoneId, value: '1.2' });
    expect(settings.tls_1_3).toMatchObject({ value: 'on' });
    expect(settings.always_use_https).toMatchObject({ value: 'on' });
    expect(settings.ssl).toMatchObject({ value: 'strict' });
  });

  it('points the platform hostnames and the fallback origin, proxied, at the origin', () => {
    const records = edge.resources('cloudflare_dns_record');
    expect(records.map((record) => record.name).sort()).toEqual(['saas-origin.tenantry.app', 'tenantry.app', 'www.tenantry.app']);
    expect(records.every((record) => record.type === 'CNAME' && record.content === 'ingress.example.net' && record.proxied === true)).toBe(true);
  });

  it('takes the platform hostnames from its props', () => {
    const names = synth({ platformHostnames: ['app.tenantry.app'] }).resources('cloudflare_dns_record').map((record) => record.name);
    expect(names.sort()).toEqual(['app.tenantry.app', 'saas-origin.tenantry.app']);
  });

  it('makes the fallback origin record the Cloudflare for SaaS fallback origin, after the record exists', () => {
    const fallback = edge.only('cloudflare_custom_hostname_fallback_origin');
    expect(fallback).toMatchObject({ zone_id: PROPS.zoneId, origin: 'saas-origin.tenantry.app' });
    expect(fallback.depends_on).toEqual([expect.stringContaining('cloudflare_dns_record.')]);
  });

  it('has no posture finding', () => {
    expect(checkPosture(edge.json)).toEqual([]);
  });
});
