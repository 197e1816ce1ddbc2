// Log group and stream ARNs. Logs authorizes an action on a whole group against
// `…:log-group:NAME:log-stream:` (an empty stream name), one on a stream against
// `…:log-group:NAME:log-stream:STREAM`, and DescribeLogGroups against `…:log-group::log-stream:` —
// which is why policies grant `…:log-group:NAME:*`.

import { partitionOf } from '../ec2/arn.ts';

const base = (region: string, account: string) => `arn:${partitionOf(region)}:logs:${region}:${account}`;

/** `arn:aws:logs:REGION:ACCOUNT:log-group:NAME` (LogGroup.logGroupArn). */
export function logGroupArn(region: string, account: string, group: string): string {
  return `${base(region, account)}:log-group:${group}`;
}

/** The resource an action on a log stream — or, with `stream` empty, on a whole group — is authorized on. */
export function logStreamArn(region: string, account: string, group: string, stream = ''): string {
  return `${base(region, account)}:log-group:${group}:log-stream:${stream}`;
}

/** A `logGroupIdentifier`: a group name, or its ARN (with or without the trailing `:*`). */
export function groupNameOf(identifier: string): string {
  const m = /^arn:[\w-]+:logs:[\w-]+:\d{12}:log-group:(.+?)(?::\*)?$/.exec(identifier);
  return m ? m[1] : identifier;
}
