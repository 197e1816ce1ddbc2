// STS's two questions about things a caller already holds: which account an access key belongs to
// (GetAccessKeyInfo) and what an encoded authorization failure says (DecodeAuthorizationMessage).

import { defineOperation, type Operation } from '../common/call.ts';
import { ApiError } from '../common/errors.ts';
import { decodeAuthorizationFailure, failureAccount } from '../authz/authorization-message.ts';
import type { Tx } from '../store/types.ts';
import { accountEncodedIn } from './key-ids.ts';

export interface InsightDeps {
  /** The account of a key iamd issued (long-term or session), if it issued it. */
  accountOfKey(tx: Tx, accessKeyId: string): Promise<string | undefined>;
}

const invalidMessage = () => new ApiError('InvalidAuthorizationMessageException', 'The encoded authorization message is invalid.', 400);

export function insightOperations(deps: InsightDeps): Operation[] {
  return [
    defineOperation<{ AccessKeyId: string }, { Account: string }>('sts', 'GetAccessKeyInfo', {
      readOnly: true,
      authorize: () => [{ action: 'sts:GetAccessKeyInfo', resource: '*' }],
      async handle(input, _ctx, tx) {
        const account = (await deps.accountOfKey(tx, input.AccessKeyId)) ?? accountEncodedIn(input.AccessKeyId);
        if (account === undefined) throw new ApiError('ValidationError', `Access key id ${input.AccessKeyId} is invalid.`, 400);
        return { Account: account };
      },
    }),
    defineOperation<{ EncodedMessage: string }, { DecodedMessage: string }>('sts', 'DecodeAuthorizationMessage', {
      readOnly: true,
      authorize: () => [{ action: 'sts:DecodeAuthorizationMessage', resource: '*' }],
      async handle(input, ctx) {
        const failure = decodeAuthorizationFailure(input.EncodedMessage);
        // Only the account the refused request came from may read why it was refused.
        if (!failure || failureAccount(failure) !== ctx.account) throw invalidMessage();
        const decoded = {
          allowed: false,
          explicitDeny: failure.explicitDeny,
          matchedStatements: { items: [] },
          failures: { items: [] },
          context: {
            principal: { arn: failure.principal },
            action: failure.action,
            resource: failure.resource,
            conditions: { items: [] },
          },
        };
        return { DecodedMessage: JSON.stringify(decoded) };
      },
    }),
  ];
}
