// STS's credentials that exist only through AWS Organizations or an onboarded partner, answered as
// AWS answers a standalone account: AssumeRoot opens a privileged session on a member account of the
// caller's organization (iamd's accounts belong to none, so no account is a member), and
// GetDelegatedAccessToken trades in a token sent for an accepted delegation request (iamd's IAM has
// none to accept, src/iam/ops/delegation-requests.ts, so no token can be traded in).

import { defineOperation, type Operation } from '../common/call.ts';
import { ApiError } from '../common/errors.ts';

interface AssumeRootInput {
  TargetPrincipal: string;
  TaskPolicyArn: { arn?: string };
  DurationSeconds?: number;
}

/** The member account AssumeRoot names: its id, or its root user's ARN. */
function targetAccount(targetPrincipal: string): string {
  const m = /^(?:(\d{12})|arn:aws[\w-]*:iam::(\d{12}):root)$/.exec(targetPrincipal);
  if (!m) throw new ApiError('ValidationError', `Invalid TargetPrincipal: ${targetPrincipal} is neither an account ID nor an account's root user ARN.`, 400);
  return (m[1] ?? m[2])!;
}

export function organizationCredentialOperations(): Operation[] {
  return [
    defineOperation<AssumeRootInput>('sts', 'AssumeRoot', {
      // The Service Authorization Reference names the target account's root user as the resource.
      authorize: (input) => [
        {
          action: 'sts:AssumeRoot',
          resource: `arn:aws:iam::${targetAccount(input.TargetPrincipal)}:root`,
          ...(input.TaskPolicyArn.arn !== undefined ? { context: { 'sts:TaskPolicyArn': input.TaskPolicyArn.arn } } : {}),
        },
      ],
      async handle(input, ctx) {
        if (ctx.caller.principal.kind === 'root') throw new ApiError('AccessDenied', 'Root user credentials cannot be used to call AssumeRoot.', 403);
        const target = targetAccount(input.TargetPrincipal);
        throw new ApiError('AccessDenied', `Account ${target} is not a member account of an organization that ${ctx.account} manages.`, 403);
      },
    }),
    defineOperation<{ TradeInToken: string }>('sts', 'GetDelegatedAccessToken', {
      authorize: () => [{ action: 'sts:GetDelegatedAccessToken', resource: '*' }],
      async handle() {
        throw new ApiError(
          'ExpiredTradeInTokenException',
          'The trade-in token provided in the request has expired and can no longer be exchanged for credentials. Request a new token and retry the operation.',
          400,
        );
      },
    }),
  ];
}
