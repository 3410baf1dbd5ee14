import { describe, expect, it } from 'vitest';
import { MAX_AVAILABILITY_ZONES, subnetCidrs } from './subnet-layout.js';

describe('subnetCidrs', () => {
  it("carves /20 blocks of a /16 in tier-major order, as Terraform's cidrsubnet(cidr, 4, tier * zones + zone)", () => {
    expect(subnetCidrs('10.20.0.0/16', 'public')).toEqual(['10.20.0.0/20', '10.20.16.0/20', '10.20.32.0/20']);
    expect(subnetCidrs('10.20.0.0/16', 'isolated')).toEqual(['10.20.96.0/20', '10.20.112.0/20', '10.20.128.0/20']);
    expect(subnetCidrs('10.20.0.0/16', 'endpoint')).toEqual(['10.20.144.0/20', '10.20.160.0/20', '10.20.176.0/20']);
  });

  it('works for VPCs of other sizes and zone counts', () => {
    expect(subnetCidrs('172.16.0.0/20', 'private', 2)).toEqual(['172.16.2.0/24', '172.16.3.0/24']);
  });

  it('refuses more zones than the layout has blocks for, and a CIDR too small to split', () => {
    expect(() => subnetCidrs('10.0.0.0/16', 'public', MAX_AVAILABILITY_ZONES + 1)).toThrow(/availabilityZoneCount/);
    expect(() => subnetCidrs('10.0.0.0/30', 'public')).toThrow(/VPC CIDR "10.0.0.0\/30"/);
  });
});
