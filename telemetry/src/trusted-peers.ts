/**
 * Which peers may name the tenant of a request themselves (an internal proxy or
 * gateway). Everything else on the network is the internet: its tenant headers and
 * baggage are ignored.
 */
import { BlockList, isIP } from 'node:net';

/** Matches a peer address against a list of IP addresses and CIDR ranges. */
export class TrustedPeers {
  readonly #list = new BlockList();
  readonly #empty: boolean;

  /**
   * @param entries IPv4/IPv6 addresses or CIDR ranges, e.g. `10.0.0.0/8`, `::1`.
   * @throws Error naming the entry when one is neither an address nor a CIDR range.
   */
  constructor(entries: readonly string[]) {
    this.#empty = entries.length === 0;
    for (const raw of entries) {
      const entry = raw.trim();
      const [address = '', prefix] = entry.split('/');
      const family = isIP(address);
      if (family === 0) {
        throw new Error(`trusted proxy "${raw}" is not an IP address or CIDR range: use e.g. "10.0.0.0/8" or "127.0.0.1"`);
      }
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) {
        this.#list.addAddress(address, type);
        continue;
      }
      const bits = Number(prefix);
      if (!Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128)) {
        throw new Error(`trusted proxy "${raw}" has an invalid prefix length "${prefix}"`);
      }
      this.#list.addSubnet(address, bits, type);
    }
  }

  /** Whether the peer at `address` (as in `socket.remoteAddress`) is trusted. */
  has(address: string | undefined): boolean {
    if (this.#empty || address === undefined) return false;
    // A dual-stack server reports IPv4 peers as ::ffff:a.b.c.d.
    if (address.startsWith('::ffff:') && isIP(address.slice(7)) === 4) return this.#list.check(address.slice(7), 'ipv4');
    return this.#list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  }
}
