// Stable, AWS-shaped ids for AWS managed policies whose real id is not known: policies published
// after the id snapshot, and the service-role policies a user catalog adds. Derived from the ARN
// so every node, every restart and every run of the generator gives the same id.
import { createHash } from 'node:crypto';

// Every AWS managed policy id created since 2019 starts with this: `ANPA` (managed policy) followed
// by the encoded owner account `aws`. The rest is 9 characters of RFC 4648 base32, as in real ids.
const AWS_OWNED_POLICY_ID_PREFIX = 'ANPAZKAPJZG4';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const RANDOM_PART_LENGTH = 9;

/**
 * The id iamd gives the AWS managed policy `arn`. `attempt` > 0 picks another id when the first one
 * collides with a real id (the generator checks); it is part of the hash, so still deterministic.
 */
export function awsManagedPolicyId(arn: string, attempt = 0): string {
  const digest = createHash('sha256').update(attempt === 0 ? arn : `${arn}#${attempt}`).digest();
  let id = AWS_OWNED_POLICY_ID_PREFIX;
  for (let i = 0; i < RANDOM_PART_LENGTH; i++) id += BASE32[digest[i] & 31];
  return id;
}
