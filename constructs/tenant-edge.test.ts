import { CloudflareProvider } from '@cdktf/provider-cloudflare/lib/provider/index.js';
import { TerraformStack, Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { TenantEdge, type TenantEdgeProps } from './tenant-edge.js';

interface SynthesizedEdge {
  readonly resource: {
    readonly cloudflare_dns_record: Record<string, Record<string, unknown>>;
    readonly cloudflare_custom_hostname?: Record<string, { hostname: string; custom_origin_server?: string; ssl: { type: string; method: string; settings: Record<string, string> } }>;
  };
  readonly output?: Record<string, { value: Record<string, string> }>;
}

const BASE: TenantEdgeProps = {
  zoneId: '0123456789abcdef0123456789abcdef',
  platformHostname: 'acme.tenantry.app',
  originHostname: 'ingress.example.net',
  fallbackOriginHostname: 'saas-origin.tenantry.app',
};

function synthEdge(props: Partial<TenantEdgeProps> = {}): SynthesizedEdge {
  const stack = new TerraformStack(Testing.app(), 'test');
  new CloudflareProvider(stack, 'cloudflare');
  new TenantEdge(stack, 'Edge', { ...BASE, ...props });
  return JSON.parse(Testing.synth(stack)) as SynthesizedEdge;
}

describe('TenantEdge', () => {
  it('points a proxied CNAME for the platform hostname at the origin', () => {
    const records = Object.values(synthEdge().resource.cloudflare_dns_record);
    expect(records).toEqual([
      expect.objectContaining({ zone_id: BASE.zoneId, name: 'acme.tenantry.app', type: 'CNAME', content: 'ingress.example.net', proxied: true, ttl: 1 }),
    ]);
  });

  it('creates no custom hostname when the tenant has none', () => {
    expect(synthEdge().resource.cloudflare_custom_hostname).toBeUndefined();
  });

  it('issues a DV certificate with TLS 1.2 minimum and TLS 1.3 on for each custom hostname', () => {
    const hostnames = Object.values(synthEdge({ customHostnames: ['portal.acme.com', 'app.acme.io'] }).resource.cloudflare_custom_hostname ?? {});
    expect(hostnames.map((h) => h.hostname).sort()).toEqual(['app.acme.io', 'portal.acme.com']);
    for (const hostname of hostnames) {
      expect(hostname.ssl).toEqual({ type: 'dv', method: 'http', settings: { min_tls_version: '1.2', tls_1_3: 'on', http2: 'on' } });
    }
  });

  it('serves custom hostnames from the fallback origin rather than a per-hostname origin', () => {
    const [hostname] = Object.values(synthEdge({ customHostnames: ['portal.acme.com'] }).resource.cloudflare_custom_hostname ?? {});
    expect(hostname?.custom_origin_server).toBeUndefined();
  });

  it('uses the validation method it is given', () => {
    const [hostname] = Object.values(synthEdge({ customHostnames: ['portal.acme.com'], validationMethod: 'txt' }).resource.cloudflare_custom_hostname ?? {});
    expect(hostname?.ssl.method).toBe('txt');
  });

  it('outputs the CNAME target and the ownership TXT record the customer must publish', () => {
    const outputs = Object.values(synthEdge({ customHostnames: ['portal.acme.com'] }).output ?? {});
    expect(outputs).toHaveLength(1);
    expect(outputs[0]?.value).toMatchObject({ hostname: 'portal.acme.com', cnameTarget: 'saas-origin.tenantry.app' });
    expect(outputs[0]?.value['ownershipTxtName']).toMatch(/ownership_verification\.name/);
    expect(outputs[0]?.value['ownershipTxtValue']).toMatch(/ownership_verification\.value/);
  });

  it('keeps the other hostnames at the same address when one is removed', () => {
    const keys = (list: string[]) => Object.keys(synthEdge({ customHostnames: list }).resource.cloudflare_custom_hostname ?? {});
    const before = keys(['a.acme.com', 'b.acme.com']);
    const after = keys(['b.acme.com']);
    expect(after).toHaveLength(1);
    expect(before).toContain(after[0]);
  });
});
