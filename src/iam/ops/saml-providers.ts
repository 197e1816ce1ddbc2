// SAML identity providers: CreateSAMLProvider, GetSAMLProvider, ListSAMLProviders,
// UpdateSAMLProvider, DeleteSAMLProvider (tags: tagging.ts). The metadata is validated when it is
// set (saml/metadata.ts), so STS's AssumeRoleWithSAML can rely on the issuer and certificates kept
// with it. Its private keys (AddPrivateKey, RemovePrivateKey) decrypt the IdP's encrypted assertions;
// they are sealed apart from the provider (saml-private-keys.ts), which lists only their ids.

import { check } from '../checks.ts';
import type { IamDeps } from '../deps.ts';
import { invalidInput, quotaExceeded } from '../errors.ts';
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
import { forgetPrivateKey, keepPrivateKey, MAX_PRIVATE_KEYS, requireRsaPrivateKey, type SamlPrivateKeyRef } from '../saml-private-keys.ts';
import { mergeTags, requestTagContext } from '../tags.ts';
import { defineOp, insertNew, nowIso } from './define.ts';

type EncryptionMode = SamlProviderDoc['AssertionEncryptionMode'];

// iamd's wordings: AWS's texts for these refusals are not recorded.
const requiredWithoutKey = () => invalidInput('AssertionEncryptionMode Required needs a private key to decrypt assertions with: add one (AddPrivateKey) first.');
const addAndRemove = () => invalidInput('Add the new private key and remove the old one in separate requests.');
const noSuchPrivateKey = (keyId: string) => invalidInput(`The SAML provider has no private key ${keyId}.`);

/** The provider's keys after the request's change, refusing what AWS refuses; `add` is kept by the caller. */
function nextKeyRefs(current: readonly SamlPrivateKeyRef[], remove: string | undefined, adding: boolean, mode: EncryptionMode): SamlPrivateKeyRef[] {
  if (adding && remove !== undefined) throw addAndRemove();
  if (adding && current.length >= MAX_PRIVATE_KEYS) throw quotaExceeded('PrivateKeysPerSAMLProvider', MAX_PRIVATE_KEYS);
  let next = [...current];
  if (remove !== undefined) {
    if (!next.some((k) => k.KeyId === remove)) throw noSuchPrivateKey(remove);
    next = next.filter((k) => k.KeyId !== remove);
  }
  if (mode === 'Required' && next.length === 0 && !adding) throw requiredWithoutKey();
  return next;
}

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
        const tags = mergeTags([], input.Tags ?? [], true, quotas.tagsPerEntity);
        const idp = requireMetadata(input.SAMLMetadataDocument);
        const mode = input.AssertionEncryptionMode ?? 'Allowed';
        const pem = input.AddPrivateKey === undefined ? undefined : requireRsaPrivateKey(input.AddPrivateKey);
        nextKeyRefs([], undefined, pem !== undefined, mode);
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
          AssertionEncryptionMode: mode,
          PrivateKeyList: [],
          Tags: tags,
          idp,
        };
        if (pem !== undefined) doc.PrivateKeyList!.push(await keepPrivateKey(tx, deps.secrets, ctx.account, pem, ctx.now));
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
        PrivateKeyList: (doc.PrivateKeyList ?? []).map((k) => ({ KeyId: k.KeyId, Timestamp: new Date(k.Timestamp) })),
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
        const next: SamlProviderDoc = { ...e.doc };
        if (input.SAMLMetadataDocument !== undefined) {
          const idp = requireMetadata(input.SAMLMetadataDocument);
          Object.assign(next, { SAMLMetadataDocument: input.SAMLMetadataDocument, idp, ValidUntil: validUntilOf(idp, ctx.now) });
        }
        if (input.AssertionEncryptionMode !== undefined) next.AssertionEncryptionMode = input.AssertionEncryptionMode;
        const pem = input.AddPrivateKey === undefined ? undefined : requireRsaPrivateKey(input.AddPrivateKey);
        next.PrivateKeyList = nextKeyRefs(e.doc.PrivateKeyList ?? [], input.RemovePrivateKey, pem !== undefined, next.AssertionEncryptionMode);
        if (input.RemovePrivateKey !== undefined) await forgetPrivateKey(tx, input.RemovePrivateKey);
        if (pem !== undefined) next.PrivateKeyList.push(await keepPrivateKey(tx, deps.secrets, ctx.account, pem, ctx.now));
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
      for (const k of e.doc.PrivateKeyList ?? []) await forgetPrivateKey(tx, k.KeyId);
      await tx.delete(ctx.account, KIND.samlProvider, e.key);
      await tx.bumpGeneration(ctx.account);
      return {};
    },
  });

  return [create, get, list, update, remove];
}
