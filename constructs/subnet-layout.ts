/**
 * How the Network construct carves its VPC CIDR into subnets, as a pure function, so a
 * tenant stack can name the subnets of a tier (NetworkPolicy ipBlocks) from the catalog's
 * CIDR alone, without reading the network stack.
 */

/** Subnet tiers, in the order their CIDR blocks are carved out of the VPC (appending a tier keeps every existing block). */
export const SUBNET_TIERS = ['public', 'private', 'isolated', 'endpoint'] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];

/** Each subnet is 1/16 of the VPC (Terraform's `cidrsubnet(cidr, 4, n)`). */
const NEW_BITS = 4;
export const DEFAULT_AVAILABILITY_ZONE_COUNT = 3;
/** Zones the layout has room for: every tier takes one block per zone out of 2^NEW_BITS. */
export const MAX_AVAILABILITY_ZONES = Math.floor(2 ** NEW_BITS / SUBNET_TIERS.length);

function parseCidr(cidr: string): { base: number; prefix: number } {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const octets = match ? match.slice(1, 5).map(Number) : [];
  const prefix = match ? Number(match[5]) : NaN;
  if (!match || octets.some((octet) => octet > 255) || prefix > 32 - NEW_BITS) {
    throw new Error(`VPC CIDR "${cidr}" must be an IPv4 CIDR of /${32 - NEW_BITS} or larger, such as 10.0.0.0/16`);
  }
  const address = octets.reduce((sum, octet) => sum * 256 + octet, 0);
  const size = 2 ** (32 - prefix);
  return { base: address - (address % size), prefix };
}

function formatCidr(address: number, prefix: number): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256);
  return `${octets.join('.')}/${prefix}`;
}

/** The CIDR blocks of the subnets of `tier`, one per zone, as the Network construct creates them. */
export function subnetCidrs(vpcCidr: string, tier: SubnetTier, zoneCount: number = DEFAULT_AVAILABILITY_ZONE_COUNT): string[] {
  if (!Number.isInteger(zoneCount) || zoneCount < 1 || zoneCount > MAX_AVAILABILITY_ZONES) {
    throw new Error(`availabilityZoneCount ${zoneCount} must be a whole number from 1 to ${MAX_AVAILABILITY_ZONES} (${SUBNET_TIERS.length} subnet tiers share 16 blocks of the VPC)`);
  }
  const { base, prefix } = parseCidr(vpcCidr);
  const subnetPrefix = prefix + NEW_BITS;
  const tierIndex = SUBNET_TIERS.indexOf(tier);
  return Array.from({ length: zoneCount }, (_, zone) => formatCidr(base + (tierIndex * zoneCount + zone) * 2 ** (32 - subnetPrefix), subnetPrefix));
}
