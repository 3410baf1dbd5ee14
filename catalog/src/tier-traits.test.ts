import { describe, expect, it } from 'vitest';
import { TIER_NAMES } from './plans.js';
import { TIER_TRAITS, tenantHasNamespace, tierTraits } from './tier-traits.js';

describe('tier traits', () => {
  it('describe every tier under its own name', () => {
    for (const tier of TIER_NAMES) expect(tierTraits(tier).tier).toBe(tier);
    expect(Object.keys(TIER_TRAITS).sort()).toEqual([...TIER_NAMES].sort());
  });

  it('give each data placement to exactly one tier, and ownership flags that agree with it', () => {
    const placements = TIER_NAMES.map((tier) => TIER_TRAITS[tier].data);
    expect(new Set(placements).size).toBe(TIER_NAMES.length);
    for (const tier of TIER_NAMES) {
      const traits = TIER_TRAITS[tier];
      expect(traits.ownCluster).toBe(traits.data === 'own-cluster');
      expect(traits.ownSchema).toBe(traits.data === 'own-schema');
    }
  });

  it('register only own-schema tenants with the shared proxy (own-cluster tenants have their own)', () => {
    expect(TIER_NAMES.filter((tier) => TIER_TRAITS[tier].sharedProxySecret)).toEqual(['schema']);
  });

  it('always give a dedicated tenant a namespace, whatever its file says', () => {
    expect(tenantHasNamespace('dedicated', false)).toBe(true);
    expect(tenantHasNamespace('dedicated', undefined)).toBe(true);
  });

  it('leave the namespace of pooled and schema tenants to the file, off by default', () => {
    for (const tier of ['pooled', 'schema'] as const) {
      expect(tenantHasNamespace(tier, undefined)).toBe(false);
      expect(tenantHasNamespace(tier, true)).toBe(true);
    }
  });
});
