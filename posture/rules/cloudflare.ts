/** Cloudflare: TLS 1.2+ and TLS 1.3 on the zone, HTTPS only, strict origin TLS; TLS 1.2+ on custom hostnames. */
import type { ResourceRule } from '../model.js';
import { blocks } from '../values.js';

/** Zone settings that weaken TLS, by setting id, with the values that are acceptable. */
const ACCEPTABLE_ZONE_SETTINGS: Readonly<Record<string, readonly string[]>> = {
  min_tls_version: ['1.2', '1.3'],
  tls_1_3: ['on', 'zrt'],
  always_use_https: ['on'],
  ssl: ['strict', 'origin_pull', 'full'],
};

export const cloudflareRules: readonly ResourceRule[] = [
  {
    kind: 'resource',
    id: 'TENANTRY_CF_ZONE_TLS',
    resourceTypes: ['cloudflare_zone_setting'],
    title: 'Zone settings keep TLS strong: minimum TLS 1.2, TLS 1.3 on, always HTTPS, origin TLS verified',
    fix: `use PlatformEdge's ZONE_SETTINGS (${Object.entries(ACCEPTABLE_ZONE_SETTINGS).map(([id, values]) => `${id} ∈ {${values.join(', ')}}`).join('; ')})`,
    check: (setting) => {
      const id = String(setting.attributes.setting_id);
      const acceptable = ACCEPTABLE_ZONE_SETTINGS[id];
      if (!acceptable) return undefined;
      const value = String(setting.attributes.value);
      return acceptable.includes(value) ? undefined : `${id} is "${value}"`;
    },
  },
  {
    kind: 'resource',
    id: 'TENANTRY_CF_HOSTNAME_TLS',
    resourceTypes: ['cloudflare_custom_hostname'],
    title: 'Custom hostnames refuse TLS below 1.2',
    fix: 'set ssl.settings.min_tls_version = "1.2"',
    check: (hostname) => {
      const minimum = blocks(hostname.attributes.ssl).flatMap((ssl) => blocks(ssl.settings)).map((settings) => settings.min_tls_version)[0];
      return minimum === '1.2' || minimum === '1.3' ? undefined : `ssl.settings.min_tls_version is ${minimum === undefined ? 'unset (TLS 1.0 accepted)' : `"${String(minimum)}"`}`;
    },
  },
];
