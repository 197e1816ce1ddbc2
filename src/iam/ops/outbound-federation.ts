// Outbound web identity federation: an account-level switch that lets the account's principals ask
// STS GetWebIdentityToken for JWTs to present to services outside AWS. Enabling it gives the account
// its issuer URL, which stays the account's own across later disables and re-enables (external
// services trust that URL, so it must not move under them).
//
// The switch lives in one account-scoped entity (../outbound-federation.ts); no policy depends on it,
// so it bumps no generation. The issuer is indexed so iamd can serve its discovery and JWKS documents.

import { randomUUID } from 'node:crypto';
import { ApiError } from '../../common/errors.ts';
import { check } from '../checks.ts';
import { KIND } from '../model.ts';
import { indexIssuer, outboundFederation, OUTBOUND_FEDERATION_KEY as KEY, type OutboundFederationDoc } from '../outbound-federation.ts';
import { defineOp } from './define.ts';

// The model's documentation of FeatureEnabled and FeatureDisabled; Get's text is iamd's.
const alreadyEnabled = () =>
  new ApiError(
    'FeatureEnabled',
    'The request failed because outbound identity federation is already enabled for your Amazon Web Services account. You cannot enable the feature multiple times. To fetch the current configuration (including the unique issuer URL), use the GetOutboundWebIdentityFederationInfo operation.',
    409,
  );
const alreadyDisabled = () =>
  new ApiError(
    'FeatureDisabled',
    'The request failed because outbound identity federation is already disabled for your Amazon Web Services account. You cannot disable the feature multiple times.',
    404,
  );
const notEnabled = () => new ApiError('FeatureDisabled', 'Outbound identity federation is not enabled for your Amazon Web Services account.', 404);

/** AWS's issuer URLs are one host per account under STS's token domain. */
const newIssuer = () => `https://${randomUUID()}.tokens.sts.global.api.aws`;

export function outboundFederationOperations() {
  const enable = defineOp<Record<string, never>>('EnableOutboundWebIdentityFederation', {
    authorize: () => [check('EnableOutboundWebIdentityFederation', '*')],
    async handle(_input, ctx, tx) {
      const current = await outboundFederation(tx, ctx.account);
      if (current?.enabled) throw alreadyEnabled();
      const doc: OutboundFederationDoc = { enabled: true, issuer: current?.issuer ?? newIssuer() };
      if (current) await tx.update(ctx.account, KIND.outboundFederation, KEY, doc);
      else await tx.insert(ctx.account, KIND.outboundFederation, KEY, doc);
      await indexIssuer(tx, ctx.account, doc.issuer);
      return { IssuerIdentifier: doc.issuer };
    },
  });

  const disable = defineOp<Record<string, never>, void>('DisableOutboundWebIdentityFederation', {
    authorize: () => [check('DisableOutboundWebIdentityFederation', '*')],
    async handle(_input, ctx, tx) {
      const current = await outboundFederation(tx, ctx.account);
      if (!current?.enabled) throw alreadyDisabled();
      await tx.update(ctx.account, KIND.outboundFederation, KEY, { ...current, enabled: false });
    },
  });

  const info = defineOp<Record<string, never>>('GetOutboundWebIdentityFederationInfo', {
    readOnly: true,
    authorize: () => [check('GetOutboundWebIdentityFederationInfo', '*')],
    async handle(_input, ctx, tx) {
      const current = await outboundFederation(tx, ctx.account);
      if (!current?.enabled) throw notEnabled();
      return { IssuerIdentifier: current.issuer, JwtVendingEnabled: true };
    },
  });

  return [enable, disable, info];
}
