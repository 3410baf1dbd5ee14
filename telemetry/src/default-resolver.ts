/**
 * The resolver the middlewares use when they are not given one: the one built by
 * `startTelemetry` (or the `register` entry point), else one built from the
 * environment on first use, so tenant resolution works even with the SDK disabled.
 */
import { loadCatalog } from '@tenantry/catalog';
import { TenantResolver, type TenantResolverProps } from './tenant-resolver.js';

/** Comma-separated IPs/CIDRs whose tenant header and baggage are believed. */
export const TRUSTED_PROXIES_VARIABLE = 'TENANTRY_TRUSTED_PROXIES';
/** Name of the header a trusted proxy uses to name the tenant. */
export const TENANT_HEADER_VARIABLE = 'TENANTRY_TENANT_HEADER';

let current: TenantResolver | undefined;

/** Makes `resolver` the one middlewares use by default. */
export function setDefaultTenantResolver(resolver: TenantResolver): void {
  current = resolver;
}

/** The default resolver, built from `$TENANTRY_CATALOG`, `$TENANTRY_ENV` and the variables above on first use. */
export function defaultTenantResolver(): TenantResolver {
  current ??= new TenantResolver(resolverPropsFromEnv());
  return current;
}

/** Resolver props from the environment, overridden field by field by `overrides`. */
export function resolverPropsFromEnv(overrides: Partial<TenantResolverProps> = {}, env: NodeJS.ProcessEnv = process.env): TenantResolverProps {
  return {
    catalog: overrides.catalog ?? loadCatalog(),
    environment: overrides.environment ?? (env.TENANTRY_ENV || undefined),
    trustedProxies: overrides.trustedProxies ?? commaList(env[TRUSTED_PROXIES_VARIABLE]),
    tenantHeader: overrides.tenantHeader ?? (env[TENANT_HEADER_VARIABLE] || undefined),
    tokenTenantResolver: overrides.tokenTenantResolver,
  };
}

/** `"a, b,,c"` → `['a', 'b', 'c']`; unset → `[]`. */
export function commaList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}
