import { describe, expect, it } from 'vitest';
import { applyFault, parseFaults } from './faults.js';

const TENANTS = new Set(['brightwave', 'northwind', 'harbor-law']);

describe('parseFaults', () => {
  it('reads latency and error ratio per tenant', () => {
    const plan = parseFaults('northwind:latency=250,errors=0.1; brightwave:errors=1;', TENANTS);
    expect([...plan]).toEqual([
      ['northwind', { latencyMs: 250, errorRatio: 0.1 }],
      ['brightwave', { latencyMs: 0, errorRatio: 1 }],
    ]);
  });

  it('unset or empty means no faults', () => {
    expect(parseFaults(undefined, TENANTS).size).toBe(0);
    expect(parseFaults('  ', TENANTS).size).toBe(0);
  });

  it.each([
    ['northwind', 'has no ":"'],
    ['northwind:latency=abc', '"latency=abc" for tenant "northwind" is not latency=<ms> or errors=<ratio>'],
    ['northwind:delay=10', '"delay=10"'],
    ['northwind:errors=1.5', 'not a ratio between 0 and 1'],
    ['northwind:latency=2.5', 'not a whole number of milliseconds'],
    ['northwind:latency=-1', '"latency=-1"'],
    ['northwind:latency=1,latency=2', 'latency is set twice'],
    ['northwind:errors=1;northwind:latency=3', 'named twice'],
    ['northwnd:errors=1', 'tenant "northwnd" is not in the catalog (known: brightwave, harbor-law, northwind)'],
    ['northwind:', '"" for tenant "northwind"'],
  ])('%s is refused: %s', (spec, message) => {
    expect(() => parseFaults(spec, TENANTS)).toThrow(message);
  });
});

describe('applyFault', () => {
  const plan = parseFaults('northwind:errors=0.5', TENANTS);

  it('fails a request of the named tenant when the draw is below the ratio', async () => {
    expect(await applyFault(plan, 'northwind', () => 0.49)).toBe('fail');
    expect(await applyFault(plan, 'northwind', () => 0.5)).toBe('proceed');
  });

  it('never touches another tenant', async () => {
    expect(await applyFault(plan, 'brightwave', () => 0)).toBe('proceed');
  });
});
