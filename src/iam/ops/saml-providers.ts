// SAML identity providers: CreateSAMLProvider, GetSAMLProvider, ListSAMLProviders,
// UpdateSAMLProvider, DeleteSAMLProvider (tags: tagging.ts). The metadata is validated when it is
// set (saml/metadata.ts), so STS's AssumeRoleWithSAML can rely on the issuer and certificates kept
// with it. iamd does not decrypt assertions, so it takes no private keys (docs/iam.md).

import { ApiError } from '../../common/errors.ts';
import { check } from '../checks.ts';
import type { IamDeps } from '../deps.ts';
import { quotaExceeded } from '../errors.ts';
import { KIND, nameKey, type Tag } from '../model.ts';
import { tagsOut } from '../output.ts';
import {
  newProviderUuid,
  requireMetadata,
  requireSamlProvider,
  samlProviderArn,
  samlProviderCheck,
  samlProviderExists,
  validUntilOf,
  type SamlProviderDoc,
} from '../saml-providers.ts';
import { mergeTags, requestTagContext } from '../tags.ts';
import { defineOp, insertNew, nowIso } from './define.ts';

type EncryptionMode = SamlProviderDoc['AssertionEncryptionMode'];

const noPrivateKeys = () =>
  new ApiError('NotImplemented', 'iamd does not decrypt SAML assertions, so it takes no private keys (AddPrivateKey, RemovePrivateKey)', 501);

export function samlProviderOperations(deps: IamDeps) {
  const { quotas } = deps.config;

  const create = defineOp<{ Name: string; SAMLMetadataDocument: string; Tags?: Tag[]; AssertionEncryptionMode?: EncryptionMode; AddPrivateKey?: string }>(
    'CreateSAMLProvider',
    {
      authorize(input, ctx) {
        const arn = samlProviderArn(ctx.account, input.Name);
        const checks = [check('CreateSAMLProvider', arn, requestTagContext(input.Tags))];
        if (input.Tags?.length) checks.push(check('TagSAMLProvider', arn, requestTagContext(input.Tags)));
        return checks;
      },
      async handle(input, ctx, tx) {
        if (input.AddPrivateKey !== undefined) throw noPrivateKeys();
        const tags = mergeTags([], input.Tags ?? [], true, quotas.tagsPerEntity);
        const idp = requireMetadata(input.SAMLMetadataDocument);
        if ((await tx.count(ctx.account, KIND.samlProvider)) >= quotas.samlProvidersPerAccount) {
          throw quotaExceeded('SAMLProvidersPerAccount', quotas.samlProvidersPerAccount);
        }
        const doc: SamlProviderDoc = {
          Name: input.Name,
          Arn: samlProviderArn(ctx.account, input.Name),
          SAMLProviderUUID: newProviderUuid(),
          SAMLMetadataDocument: input.SAMLMetadataDocument,
          CreateDate: nowIso(ctx),
          ValidUntil: validUntilOf(idp, ctx.now),
          AssertionEncryptionMode: input.AssertionEncryptionMode ?? 'Allowed',
          Tags: tags,
          idp,
        };
        await insertNew(tx, ctx.account, KIND.samlProvider, nameKey(input.Name), doc, null, () => samlProviderExists(input.Name));
        await tx.bumpGeneration(ctx.account);
        return { SAMLProviderArn: doc.Arn, ...(tags.length > 0 ? { Tags: tagsOut(tags) } : {}) };
      },
    },
  );

  const get = defineOp<{ SAMLProviderArn: string }>('GetSAMLProvider', {
    readOnly: true,
    authorize: async (input, ctx, tx) => [await samlProviderCheck(tx, ctx, 'GetSAMLProvider', input.SAMLProviderArn)],
    async handle(input, ctx, tx) {
      const { doc } = await requireSamlProvider(tx, ctx.account, input.SAMLProviderArn);
      // Recorded: Tags and PrivateKeyList are answered even when empty.
      return {
        SAMLProviderUUID: doc.SAMLProviderUUID,
        SAMLMetadataDocument: doc.SAMLMetadataDocument,
        CreateDate: new Date(doc.CreateDate),
        ValidUntil: new Date(doc.ValidUntil),
        Tags: tagsOut(doc.Tags),
        AssertionEncryptionMode: doc.AssertionEncryptionMode,
        PrivateKeyList: [],
      };
    },
  });

  const list = defineOp<Record<string, never>>('ListSAMLProviders', {
    readOnly: true,
    authorize: () => [check('ListSAMLProviders', '*')],
    async handle(_input, ctx, tx) {
      const all = await tx.list<SamlProviderDoc>(ctx.account, KIND.samlProvider);
      return {
        SAMLProviderList: all.map(({ doc }) => ({ Arn: doc.Arn, ValidUntil: new Date(doc.ValidUntil), CreateDate: new Date(doc.CreateDate) })),
      };
    },
  });

  const update = defineOp<{ SAMLProviderArn: string; SAMLMetadataDocument?: string; AssertionEncryptionMode?: EncryptionMode; AddPrivateKey?: string; RemovePrivateKey?: string }>(
    'UpdateSAMLProvider',
    {
      authorize: async (input, ctx, tx) => [await samlProviderCheck(tx, ctx, 'UpdateSAMLProvider', input.SAMLProviderArn)],
      async handle(input, ctx, tx) {
        const e = await requireSamlProvider(tx, ctx.account, input.SAMLProviderArn);
        if (input.AddPrivateKey !== undefined || input.RemovePrivateKey !== undefined) throw noPrivateKeys();
        const next: SamlProviderDoc = { ...e.doc };
        if (input.SAMLMetadataDocument !== undefined) {
          const idp = requireMetadata(input.SAMLMetadataDocument);
          Object.assign(next, { SAMLMetadataDocument: input.SAMLMetadataDocument, idp, ValidUntil: validUntilOf(idp, ctx.now) });
        }
        if (input.AssertionEncryptionMode !== undefined) next.AssertionEncryptionMode = input.AssertionEncryptionMode;
        await tx.update(ctx.account, KIND.samlProvider, e.key, next);
        await tx.bumpGeneration(ctx.account);
        return { SAMLProviderArn: e.doc.Arn };
      },
    },
  );

  const remove = defineOp<{ SAMLProviderArn: string }>('DeleteSAMLProvider', {
    authorize: async (input, ctx, tx) => [await samlProviderCheck(tx, ctx, 'DeleteSAMLProvider', input.SAMLProviderArn)],
    async handle(input, ctx, tx) {
      const e = await requireSamlProvider(tx, ctx.account, input.SAMLProviderArn);
      await tx.delete(ctx.account, KIND.samlProvider, e.key);
      await tx.bumpGeneration(ctx.account);
      return {};
    },
  });

  return [create, get, list, update, remove];
}
