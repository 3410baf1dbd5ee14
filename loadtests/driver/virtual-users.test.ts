import { request } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { startStandInService } from './stand-in-service.fixture.js';
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

describe('VirtualUserPool.connect()', () => {
  it('connects the pre-allocated VUs before the run, so only VUs added later connect on the clock', async () => {
    const service = await startStandInService();
    let opened = 0;
    const pool = new VirtualUserPool(2, 3, () => opened++);
    try {
      const { port } = new URL(service.url);
      await pool.connect('127.0.0.1', Number(port));
      // The server sees a connection a moment after the client does.
      await vi.waitFor(() => expect(service.connections()).toBe(2));
      const get = (agent: import('node:http').Agent): Promise<void> =>
        new Promise((resolve, reject) => request({ agent, host: '127.0.0.1', port, path: '/' }, (res) => res.resume().on('end', resolve)).on('error', reject).end());
      const users = [pool.acquire(), pool.acquire(), pool.acquire()];
      await Promise.all(users.map((u) => (u ? get(u.agent) : Promise.resolve())));
      expect(opened).toBe(1);
      await vi.waitFor(() => expect(service.connections()).toBe(3));
    } finally {
      pool.destroy();
      await service.stop();
    }
  });
});
