import { describe, expect, it } from 'vitest';
import { TrustedPeers } from './trusted-peers.js';

describe('TrustedPeers', () => {
  it('trusts nobody when empty', () => {
    expect(new TrustedPeers([]).has('127.0.0.1')).toBe(false);
  });

  it('matches single addresses and CIDR ranges of both families', () => {
    const peers = new TrustedPeers(['10.0.0.0/8', '192.168.1.7', 'fd00::/8']);
    expect(peers.has('10.20.30.40')).toBe(true);
    expect(peers.has('192.168.1.7')).toBe(true);
    expect(peers.has('192.168.1.8')).toBe(false);
    expect(peers.has('fd12::1')).toBe(true);
    expect(peers.has('2001:db8::1')).toBe(false);
    expect(peers.has(undefined)).toBe(false);
  });

  it('matches an IPv4 peer reported as IPv4-mapped IPv6 by a dual-stack server', () => {
    expect(new TrustedPeers(['10.0.0.0/8']).has('::ffff:10.1.2.3')).toBe(true);
  });

  it('fails on an entry that is not an address, naming it', () => {
    expect(() => new TrustedPeers(['proxy.internal'])).toThrow('trusted proxy "proxy.internal" is not an IP address or CIDR range');
    expect(() => new TrustedPeers(['10.0.0.0/33'])).toThrow('trusted proxy "10.0.0.0/33" has an invalid prefix length "33"');
  });
});
