import { describe, expect, it } from 'vitest';
import { VirtualUserPool } from './virtual-users.js';

describe('VirtualUserPool', () => {
  it('hands out the VU that has been free the longest, so every VU keeps being used in turn', () => {
    const pool = new VirtualUserPool(3, 5);
    const [a, b, c] = [pool.acquire(), pool.acquire(), pool.acquire()];
    if (!a || !b || !c) throw new Error('three pre-allocated VUs expected');
    pool.release(b);
    pool.release(a);
    expect(pool.acquire()).toBe(b);
    expect(pool.acquire()).toBe(a);
    pool.destroy();
  });

  it('adds VUs up to its ceiling when every VU is busy, then has none to give (the request is dropped)', () => {
    const pool = new VirtualUserPool(1, 2);
    expect(pool.acquire()).toBeDefined();
    expect(pool.acquire()).toBeDefined();
    expect(pool.size).toBe(2);
    expect(pool.acquire()).toBeUndefined();
    pool.destroy();
  });

  it('gives every VU its own connection and its own memory of the project it created', () => {
    const pool = new VirtualUserPool(2, 2);
    const [a, b] = [pool.acquire(), pool.acquire()];
    expect(a?.agent).not.toBe(b?.agent);
    expect(a?.agent.maxSockets).toBe(1);
    if (a) a.knownProject = '42';
    expect(b?.knownProject).toBeUndefined();
    pool.destroy();
  });
});
