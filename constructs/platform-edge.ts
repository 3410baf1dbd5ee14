/**
 * The platform's Cloudflare zone: TLS settings of the whole zone, the platform's own
 * hostnames, and the Cloudflare for SaaS fallback origin that tenants' custom hostnames
 * are served through.
 */
import { CustomHostnameFallbackOrigin } from '@cdktf/provider-cloudflare/lib/custom-hostname-fallback-origin/index.js';
import { DnsRecord } from '@cdktf/provider-cloudflare/lib/dns-record/index.js';
import { ZoneSetting } from '@cdktf/provider-cloudflare/lib/zone-setting/index.js';
import { Construct } from 'constructs';

/**
 * Zone settings every platform zone carries. `ssl = strict` makes Cloudflare verify the
 * origin's certificate; TLS 1.0/1.1 clients are refused.
 */
export const ZONE_SETTINGS = {
  min_tls_version: '1.2',
  tls_1_3: 'on',
  always_use_https: 'on',
  ssl: 'strict',
  automatic_https_rewrites: 'on',
} as const;

export interface PlatformEdgeProps {
  readonly zoneId: string;
  /** Base domain of the environment, e.g. `tenantry.app`. */
  readonly baseDomain: string;
  /** The platform's load balancer that every proxied record points at. */
  readonly originHostname: string;
  /** Hostname of the Cloudflare for SaaS fallback origin, inside the zone. */
  readonly fallbackOriginHostname: string;
  /**
   * The platform's own hostnames (besides the fallback origin), each a proxied CNAME to the origin.
   * @default - the base domain itself and `www.<baseDomain>`
   */
  readonly platformHostnames?: readonly string[];
}

export class PlatformEdge extends Construct {
  readonly records: readonly DnsRecord[];
  readonly fallbackOrigin: CustomHostnameFallbackOrigin;

  constructor(scope: Construct, id: string, props: PlatformEdgeProps) {
    super(scope, id);
    for (const [settingId, value] of Object.entries(ZONE_SETTINGS)) {
      const setting = new ZoneSetting(this, `setting-${settingId}`, { zoneId: props.zoneId, settingId, value: {} });
      // The provider types `value` as a map, but these settings take a string ("1.2", "on").
      setting.addOverride('value', value);
    }

    const proxiedCname = (recordId: string, name: string, comment: string): DnsRecord =>
      new DnsRecord(this, recordId, { zoneId: props.zoneId, name, type: 'CNAME', content: props.originHostname, proxied: true, ttl: 1, comment });
    const hostnames = props.platformHostnames ?? [props.baseDomain, `www.${props.baseDomain}`];
    const fallbackRecord = proxiedCname('FallbackOriginRecord', props.fallbackOriginHostname, 'Cloudflare for SaaS fallback origin (tenant custom hostnames)');
    this.records = [...hostnames.map((hostname) => proxiedCname(`record-${hostname}`, hostname, 'Tenantry platform')), fallbackRecord];
    this.fallbackOrigin = new CustomHostnameFallbackOrigin(this, 'FallbackOrigin', {
      zoneId: props.zoneId,
      origin: props.fallbackOriginHostname,
      dependsOn: [fallbackRecord],
    });
  }
}
