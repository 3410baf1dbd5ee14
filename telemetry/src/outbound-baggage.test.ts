import { describe, expect, it } from 'vitest';
import { InternalHosts } from './outbound-baggage.js';

describe('InternalHosts', () => {
  const hosts = new InternalHosts(['billing', '*.svc.cluster.local', ' Ledger.Internal ']);

  it('matches exact names and subdomains of a wildcard suffix, ignoring case', () => {
    expect(hosts.has('billing')).toBe(true);
    expect(hosts.has('projects.shop.SVC.cluster.local')).toBe(true);
    expect(hosts.has('ledger.internal')).toBe(true);
  });

  it('never matches a third party, including look-alike suffixes', () => {
    expect(hosts.has('api.stripe.com')).toBe(false);
    expect(hosts.has('evilsvc.cluster.local')).toBe(false);
    expect(hosts.has('billing.evil.com')).toBe(false);
  });
});
