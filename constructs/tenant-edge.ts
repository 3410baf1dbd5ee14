/**
 * A tenant's edge on Cloudflare: its platform hostname and its Cloudflare for SaaS
 * custom hostnames.
 */
import { CustomHostname } from '@cdktf/provider-cloudflare/lib/custom-hostname/index.js';
import { DnsRecord } from '@cdktf/provider-cloudflare/lib/dns-record/index.js';
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';

/**
 * How Cloudflare validates domain control before it issues a custom hostname's
 * certificate.
 * - `http`: Cloudflare serves the token itself once the customer's CNAME points at the
 *   platform, so issuance completes without a second record (not for wildcards);
 * - `txt`: the customer publishes a TXT record first, so the certificate is ready before
 *   any traffic moves (pre-validation for a live domain).
 */
export type CertificateValidationMethod = 'http' | 'txt';

/** Lowest TLS version a custom hostname accepts; anything below 1.2 is refused. */
export type MinimumTlsVersion = '1.2' | '1.3';

export interface TenantEdgeProps {
  /** Cloudflare zone of the environment's base domain. */
  readonly zoneId: string;
  /** The tenant's platform hostname, `<subdomain>.<baseDomain>` (a first-level subdomain, covered by Universal SSL). */
  readonly platformHostname: string;
  /** Hostname of the platform's load balancer that the proxied record points at. */
  readonly originHostname: string;
  /** Cloudflare for SaaS fallback origin; customers point their CNAME at it. */
  readonly fallbackOriginHostname: string;
  /**
   * The tenant's own domains, served through Cloudflare for SaaS.
   * @default - none
   */
  readonly customHostnames?: readonly string[];
  /**
   * Domain-control validation method of custom hostname certificates.
   * @default 'http'
   */
  readonly validationMethod?: CertificateValidationMethod;
  /**
   * Minimum TLS version of custom hostnames.
   * @default '1.2'
   */
  readonly minimumTlsVersion?: MinimumTlsVersion;
}

/**
 * A proxied DNS record for the tenant's platform hostname and one Cloudflare for SaaS
 * custom hostname (DV certificate, TLS 1.2 or later, TLS 1.3 on) per custom domain.
 *
 * Custom hostnames are served by the zone's fallback origin: no `custom_origin_server`
 * is set (that is an Enterprise feature, and the fallback origin is the platform's
 * ingress already). The records the customer must publish are stack outputs, so an
 * apply never waits on the customer's DNS.
 */
export class TenantEdge extends Construct {
  readonly dnsRecord: DnsRecord;
  readonly customHostnames: readonly CustomHostname[];

  constructor(scope: Construct, id: string, props: TenantEdgeProps) {
    super(scope, id);
    const method = props.validationMethod ?? 'http';
    const minTlsVersion = props.minimumTlsVersion ?? '1.2';

    this.dnsRecord = new DnsRecord(this, 'PlatformHostname', {
      zoneId: props.zoneId,
      name: props.platformHostname,
      type: 'CNAME',
      content: props.originHostname,
      proxied: true,
      // 1 means "automatic": the only TTL Cloudflare accepts on a proxied record.
      ttl: 1,
      comment: 'Tenant platform hostname (managed by Tenantry)',
    });

    this.customHostnames = (props.customHostnames ?? []).map((hostname) => {
      // Ids come from the hostname, not the list position, so removing one domain
      // leaves the others' Terraform addresses (and certificates) untouched.
      const slug = hostname.replace(/[^a-z0-9]/g, '_');
      const customHostname = new CustomHostname(this, `CustomHostname_${slug}`, {
        zoneId: props.zoneId,
        hostname,
        ssl: {
          type: 'dv',
          method,
          settings: { minTlsVersion, tls13: 'on', http2: 'on' },
        },
      });
      new TerraformOutput(this, `Verification_${slug}`, {
        description: `Records the owner of ${hostname} must publish: a CNAME to the target, and the TXT ownership record`,
        value: {
          hostname,
          cnameTarget: props.fallbackOriginHostname,
          ownershipTxtName: customHostname.ownershipVerification.name,
          ownershipTxtValue: customHostname.ownershipVerification.value,
          status: customHostname.status,
        },
      });
      return customHostname;
    });
  }
}
