/**
 * Test support for the platform constructs: synthesizes one small stack (AWS and random
 * providers) and reads its resources by type, so each test asserts on Terraform
 * attribute names instead of on a snapshot.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { CloudflareProvider } from '@cdktf/provider-cloudflare/lib/provider/index.js';
import { RandomProvider } from '@cdktf/provider-random/lib/provider/index.js';
import { TerraformStack, Testing } from 'cdktf';
import { requireTerraformVersion } from '../stacks/terraform-version.js';
import type { StackJson } from '../synth-model/stack-json.js';

export type Attributes = Record<string, unknown>;

export class SynthesizedStack {
  constructor(readonly json: StackJson) {}

  /** Every resource of `type`, in synthesis order. */
  resources(type: string): Attributes[] {
    return Object.values(this.json.resource?.[type] ?? {});
  }

  /** The one resource of `type`; fails when there are none or several. */
  only(type: string): Attributes {
    const all = this.resources(type);
    if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
    return all[0] as Attributes;
  }

  /** Logical names of the resources of `type`. */
  names(type: string): string[] {
    return Object.keys(this.json.resource?.[type] ?? {});
  }
}

/** Synthesizes a stack holding what `build` adds, with the AWS, random and Cloudflare providers and the Terraform version every Tenantry stack requires. */
export function synthesizeStack(build: (stack: TerraformStack) => void): SynthesizedStack {
  const stack = new TerraformStack(Testing.app(), 'test');
  requireTerraformVersion(stack);
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  new RandomProvider(stack, 'random', {});
  new CloudflareProvider(stack, 'cloudflare', {});
  build(stack);
  return new SynthesizedStack(JSON.parse(Testing.synth(stack)) as StackJson);
}

/** Terraform reference to attribute `attribute` of the resource `type`.`name`. */
export function reference(type: string, name: string, attribute: string): string {
  return `\${${type}.${name}.${attribute}}`;
}
