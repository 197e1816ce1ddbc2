// When a call a service makes through its role is refused (the role's policy lacks a permission, the
// target does not exist, …) the resource fails as a real service's would: its status says so and
// carries the refusal. Anything that is not an API answer (a bug, a lost database connection) is
// not a verdict on the resource: the job is retried instead.

import { ApiError } from '../../common/errors.ts';

/** `Code: message` of an API refusal, for a failed resource's status; undefined for anything else. */
export function refusalOf(error: unknown): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  if (error.status >= 500) return undefined;
  return `${error.code}: ${error.message}`;
}
