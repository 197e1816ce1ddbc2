// Temporary delegation requests: an onboarded AWS partner files a request, an account's identity
// accepts it, and the partner trades the token STS sends it for credentials (STS GetDelegatedAccessToken).
// AWS offers CreateDelegationRequest only to partners it has onboarded, and iamd onboards none: so no
// request ever exists, and every call about one answers as AWS does for an id it does not know.

import { ApiError } from '../../common/errors.ts';
import { check } from '../checks.ts';
import { defineOp } from './define.ts';

const noSuchRequest = (id: string) => new ApiError('NoSuchEntity', `The delegation request with ID ${id} does not exist.`, 404);

/** The operations that act on one request, named by its id. */
const ON_A_REQUEST = [
  'GetDelegationRequest',
  'AcceptDelegationRequest',
  'AssociateDelegationRequest',
  'RejectDelegationRequest',
  'UpdateDelegationRequest',
  'SendDelegationToken',
] as const;

/** A delegation request's ARN: `arn:aws:iam::<account>:delegation-request/<id>` — the one entity type GetHumanReadableSummary knows. */
const DELEGATION_REQUEST_ARN = /^arn:aws[\w-]*:iam::\d{12}:delegation-request\/([\w-]+)$/;

export function delegationRequestOperations() {
  const create = defineOp<{ OwnerAccountId?: string }>('CreateDelegationRequest', {
    authorize: () => [check('CreateDelegationRequest', '*')],
    async handle(_input, ctx) {
      throw new ApiError('InvalidInput', `Account ${ctx.account} is not onboarded as a partner that may create delegation requests.`, 400);
    },
  });

  const onRequest = ON_A_REQUEST.map((name) =>
    defineOp<{ DelegationRequestId: string }>(name, {
      readOnly: name === 'GetDelegationRequest',
      authorize: () => [check(name, '*')],
      async handle(input) {
        throw noSuchRequest(input.DelegationRequestId);
      },
    }),
  );

  const list = defineOp<{ OwnerId?: string }>('ListDelegationRequests', {
    readOnly: true,
    authorize: () => [check('ListDelegationRequests', '*')],
    async handle() {
      return { DelegationRequests: [], isTruncated: false };
    },
  });

  const summary = defineOp<{ EntityArn: string }>('GetHumanReadableSummary', {
    readOnly: true,
    authorize: () => [check('GetHumanReadableSummary', '*')],
    async handle(input) {
      const m = DELEGATION_REQUEST_ARN.exec(input.EntityArn);
      if (!m) throw new ApiError('InvalidInput', `Entity ${input.EntityArn} is not supported: the only supported entity type is delegation-request.`, 400);
      throw noSuchRequest(m[1]!);
    },
  });

  return [create, ...onRequest, list, summary];
}
