// ResourceHandlingOption: the EC2 launch scenarios for which the simulator insists that every resource
// the launch involves is named, so that an answer about RunInstances is not given on half of them.
// The scenarios and their resources are those IAM's API reference lists.

import { invalidInput } from './errors.ts';

const INSTANCE = ['instance', 'image', 'security-group'];

const SCENARIOS: Record<string, readonly string[]> = {
  'EC2-Classic-InstanceStore': INSTANCE,
  'EC2-Classic-EBS': [...INSTANCE, 'volume'],
  'EC2-VPC-InstanceStore': [...INSTANCE, 'network-interface'],
  'EC2-VPC-InstanceStore-Subnet': [...INSTANCE, 'network-interface', 'subnet'],
  'EC2-VPC-EBS': [...INSTANCE, 'network-interface', 'volume'],
  'EC2-VPC-EBS-Subnet': [...INSTANCE, 'network-interface', 'subnet', 'volume'],
};

/** The EC2 resource type of an ARN (`arn:aws:ec2:us-east-1:123456789012:instance/i-…` → `instance`). */
function ec2ResourceType(arn: string): string | undefined {
  const parts = arn.split(':');
  if (parts[0] !== 'arn' || parts[2] !== 'ec2' || parts.length < 6) return undefined;
  return parts.slice(5).join(':').split('/')[0];
}

export function requireResources(option: string, resources: readonly string[]): void {
  const needed = SCENARIOS[option];
  if (needed === undefined) {
    throw invalidInput(`Invalid ResourceHandlingOption ${option}; valid options are ${Object.keys(SCENARIOS).join(', ')}.`);
  }
  const present = new Set(resources.map(ec2ResourceType));
  const missing = needed.filter((type) => !present.has(type));
  if (missing.length > 0) {
    throw invalidInput(`ResourceHandlingOption ${option} requires ResourceArns to name a resource of each type: ${missing.join(', ')}.`);
  }
}
