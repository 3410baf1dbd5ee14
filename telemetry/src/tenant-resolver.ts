/**
 * Decides which tenant a request belongs to, and whether to believe it. The Host header
 * is looked up in the catalog's hostname index (platform subdomain or custom hostname);
 * a tenant header or `tenant.id` baggage is believed only from a trusted peer; a
 * verified token claim, when a hook supplies one, must agree with the rest. Only catalog
 * ids come out as known tenants.
 */
import type { IncomingMessage } from 'node:http';
import { hostnameIndex, selectEnvironments, type Catalog } from '@tenantry/catalog';
import { TENANT_BAGGAGE_KEY } from '@tenantry/conventions';
import { diag } from '@opentelemetry/api';
import { TrustedPeers } from './trusted-peers.js';

/** Where a known tenant was read from. */
export type TenantSource = 'host' | 'header' | 'baggage' | 'token';

/** The outcome of resolving a request's tenant: never thrown, always returned. */
export type TenantResolution =
  | { readonly known: true; readonly tenantId: string; readonly source: TenantSource }
  | {
      readonly known: false;
      /** Why no tenant was accepted, fit for a 404 body ("no tenant answers on host x"). */
      readonly reason: string;
    };

/**
 * A hook returning the tenant id from a token the service has already verified (for
 * example a JWT claim checked by its auth layer), or undefined when the request has no
 * such token. It runs on every request: keep it synchronous and cheap.
 */
export type TokenTenantResolver = (request: IncomingMessage) => string | undefined;

export interface TenantResolverProps {
  /** The loaded catalog: its hostnames and ids are the only tenants there are. */
  readonly catalog: Catalog;
  /**
   * The environment whose hostnames are served.
   * @default - `$TENANTRY_ENV`; when unset, the hostnames of every environment
   */
  readonly environment?: string;
  /**
   * Peers (IP addresses or CIDR ranges) whose tenant header and baggage are believed.
   * @default - none: every peer is untrusted
   */
  readonly trustedProxies?: readonly string[];
  /**
   * Header an internal proxy uses to name the tenant (believed from trusted peers only).
   * @default 'x-tenant-id'
   */
  readonly tenantHeader?: string;
  /**
   * Hook returning the tenant of a verified token.
   * @default - no token resolution
   */
  readonly tokenTenantResolver?: TokenTenantResolver;
}

export const DEFAULT_TENANT_HEADER = 'x-tenant-id';

const UNKNOWN_PEER_CLAIM = 'the request names no tenant';

/** Resolves the tenant of inbound requests; one instance per service, reused for every request. */
export class TenantResolver {
  readonly #hostnames: ReadonlyMap<string, string>;
  readonly #tenantIds: ReadonlySet<string>;
  readonly #trustedPeers: TrustedPeers;
  readonly #tenantHeader: string;
  readonly #tokenTenantResolver: TokenTenantResolver | undefined;

  constructor(props: TenantResolverProps) {
    const hostnames = new Map<string, string>();
    for (const environment of selectEnvironments(props.catalog, props.environment)) {
      for (const [hostname, tenantId] of hostnameIndex(props.catalog, environment)) hostnames.set(hostname, tenantId);
    }
    this.#hostnames = hostnames;
    this.#tenantIds = new Set(props.catalog.tenants.map((t) => t.id));
    this.#trustedPeers = new TrustedPeers(props.trustedProxies ?? []);
    this.#tenantHeader = (props.tenantHeader ?? DEFAULT_TENANT_HEADER).toLowerCase();
    this.#tokenTenantResolver = props.tokenTenantResolver;
  }

  /** Whether `tenantId` is a tenant of the catalog. */
  isKnownTenant(tenantId: string): boolean {
    return this.#tenantIds.has(tenantId);
  }

  /** Whether a peer address (as in `socket.remoteAddress`) may name the tenant itself. */
  isTrustedPeer(address: string | undefined): boolean {
    return this.#trustedPeers.has(address);
  }

  /**
   * The tenant of `request`. A trusted peer's tenant header, then its `tenant.id`
   * baggage, then the Host header; a verified token claim must name the same tenant.
   */
  resolve(request: IncomingMessage): TenantResolution {
    let claimed: string | undefined;
    let source: TenantSource = 'host';
    if (this.#trustedPeers.has(request.socket.remoteAddress)) {
      claimed = headerValue(request.headers[this.#tenantHeader]);
      if (claimed !== undefined) source = 'header';
      else {
        claimed = baggageTenant(headerValue(request.headers.baggage));
        if (claimed !== undefined) source = 'baggage';
      }
    }
    if (claimed === undefined) claimed = this.#hostnames.get(hostOf(request.headers.host));

    let fromToken: string | undefined;
    try {
      fromToken = this.#tokenTenantResolver?.(request);
    } catch (error) {
      // A failing hook must not take the request down: refuse the tenant and say why.
      diag.error('tenantry telemetry: tokenTenantResolver threw', error);
      return { known: false, reason: 'the token could not be read' };
    }
    if (fromToken !== undefined) {
      if (claimed !== undefined && claimed !== fromToken) {
        return { known: false, reason: `the token's tenant "${fromToken}" does not match the request's tenant "${claimed}"` };
      }
      claimed = fromToken;
      source = 'token';
    }

    if (claimed === undefined) {
      const host = request.headers.host;
      return { known: false, reason: host ? `no tenant answers on host "${hostOf(host)}"` : UNKNOWN_PEER_CLAIM };
    }
    if (!this.#tenantIds.has(claimed)) return { known: false, reason: `"${claimed}" is not a tenant of the catalog` };
    return { known: true, tenantId: claimed, source };
  }
}

/** The Host header's hostname: lower case, without port or trailing dot. */
function hostOf(host: string | undefined): string {
  if (!host) return '';
  let end = host.length;
  // An IPv6 literal ([::1]:8080) keeps its colons; anything else loses ":port".
  const colon = host.lastIndexOf(':');
  if (colon > host.lastIndexOf(']')) end = colon;
  if (host.charCodeAt(end - 1) === 46 /* . */) end -= 1;
  return host.slice(0, end).toLowerCase();
}

function headerValue(value: string | string[] | undefined): string | undefined {
  if (Array.isArray(value)) return value[0];
  return value === '' ? undefined : value;
}

/** `tenant.id` from a W3C baggage header (`k=v;props,k2=v2`), percent-decoded. */
export function baggageTenant(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const member of header.split(',')) {
    const equals = member.indexOf('=');
    if (equals < 0 || member.slice(0, equals).trim() !== TENANT_BAGGAGE_KEY) continue;
    const value = member.slice(equals + 1).split(';')[0]!.trim();
    try {
      return decodeURIComponent(value) || undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
