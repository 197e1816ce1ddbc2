// OpenID Connect providers: CreateOpenIDConnectProvider, GetOpenIDConnectProvider,
// ListOpenIDConnectProviders, DeleteOpenIDConnectProvider, Add/RemoveClientID…,
// UpdateOpenIDConnectProviderThumbprint (tags: tagging.ts). A provider is what a role's trust policy
// names as `Federated` for AssumeRoleWithWebIdentity; STS finds it by the token's issuer.
//
// AWS's quotas hold: providers per account, client ids per provider (LimitExceeded, recorded text),
// thumbprints per provider (InvalidInput, recorded text). Adding a client id that is there already, or
// removing one that is not, succeeds, as AWS documents.

import { check } from '../checks.ts';
import type { IamDeps } from '../deps.ts';
import { oidcProviderExists, oidcProviderToDeleteNotFound, quotaExceeded, tooManyThumbprints } from '../errors.ts';
import { KIND, oidcProviderArn, type OidcProviderDoc, type Tag } from '../model.ts';
import { oidcProviderCheck, oidcProviderId, requireOidcProvider } from '../oidc-providers.ts';
import { mergeTags, requestTagContext } from '../tags.ts';
import { defineOp, insertNew, nowIso } from './define.ts';

const unique = (values: readonly string[]): string[] => [...new Set(values)];

interface ProviderArnInput {
  OpenIDConnectProviderArn: string;
}

export function oidcProviderOperations(deps: IamDeps) {
  const { quotas } = deps.config;

  const thumbprints = (list: readonly string[]): string[] => {
    const all = unique(list);
    if (all.length > quotas.thumbprintsPerOidcProvider) throw tooManyThumbprints(quotas.thumbprintsPerOidcProvider);
    return all;
  };
  const clientIds = (list: readonly string[]): string[] => {
    const all = unique(list);
    if (all.length > quotas.clientIdsPerOidcProvider) throw quotaExceeded('ClientIdsPerOpenIdConnectProvider', quotas.clientIdsPerOidcProvider);
    return all;
  };

  const createProvider = defineOp<{ Url: string; ClientIDList?: string[]; ThumbprintList?: string[]; Tags?: Tag[] }>('CreateOpenIDConnectProvider', {
    authorize(input, ctx) {
      // The ARN the provider would get; for a URL AWS refuses, the request is refused in handle().
      const arn = oidcProviderArn(ctx.account, input.Url.replace(/^https:\/\//, ''));
      const checks = [check('CreateOpenIDConnectProvider', arn, requestTagContext(input.Tags))];
      if (input.Tags?.length) checks.push(check('TagOpenIDConnectProvider', arn, requestTagContext(input.Tags)));
      return checks;
    },
    async handle(input, ctx, tx) {
      const id = oidcProviderId(input.Url);
      const doc: OidcProviderDoc = {
        Url: id,
        Arn: oidcProviderArn(ctx.account, id),
        ClientIDList: clientIds(input.ClientIDList ?? []),
        ThumbprintList: thumbprints(input.ThumbprintList ?? []),
        CreateDate: nowIso(ctx),
        Tags: mergeTags([], input.Tags ?? [], true, quotas.tagsPerEntity),
      };
      if ((await tx.count(ctx.account, KIND.oidcProvider)) >= quotas.oidcProvidersPerAccount) {
        throw quotaExceeded('OpenIdConnectProvidersPerAccount', quotas.oidcProvidersPerAccount);
      }
      await insertNew(tx, ctx.account, KIND.oidcProvider, id, doc, null, () => oidcProviderExists(input.Url));
      return { OpenIDConnectProviderArn: doc.Arn, ...(doc.Tags.length > 0 ? { Tags: doc.Tags } : {}) };
    },
  });

  const getProvider = defineOp<ProviderArnInput>('GetOpenIDConnectProvider', {
    readOnly: true,
    authorize: async (input, ctx, tx) => [await oidcProviderCheck(tx, ctx, 'GetOpenIDConnectProvider', input.OpenIDConnectProviderArn)],
    async handle(input, ctx, tx) {
      const { doc } = await requireOidcProvider(tx, ctx.account, input.OpenIDConnectProviderArn);
      return {
        Url: doc.Url,
        ClientIDList: doc.ClientIDList,
        ThumbprintList: doc.ThumbprintList,
        CreateDate: new Date(doc.CreateDate),
        // Recorded: Tags is there even when empty.
        Tags: doc.Tags.map((t) => ({ Key: t.Key, Value: t.Value })),
      };
    },
  });

  const listProviders = defineOp<Record<string, never>>('ListOpenIDConnectProviders', {
    readOnly: true,
    authorize: () => [check('ListOpenIDConnectProviders', '*')],
    async handle(_input, ctx, tx) {
      const all = await tx.list<OidcProviderDoc>(ctx.account, KIND.oidcProvider);
      return { OpenIDConnectProviderList: all.map((e) => ({ Arn: e.doc.Arn })) };
    },
  });

  const deleteProvider = defineOp<ProviderArnInput>('DeleteOpenIDConnectProvider', {
    authorize: async (input, ctx, tx) => [await oidcProviderCheck(tx, ctx, 'DeleteOpenIDConnectProvider', input.OpenIDConnectProviderArn)],
    async handle(input, ctx, tx) {
      const e = await requireOidcProvider(tx, ctx.account, input.OpenIDConnectProviderArn, oidcProviderToDeleteNotFound);
      await tx.delete(ctx.account, KIND.oidcProvider, e.key);
      return {};
    },
  });

  const addClientId = defineOp<ProviderArnInput & { ClientID: string }>('AddClientIDToOpenIDConnectProvider', {
    authorize: async (input, ctx, tx) => [await oidcProviderCheck(tx, ctx, 'AddClientIDToOpenIDConnectProvider', input.OpenIDConnectProviderArn)],
    async handle(input, ctx, tx) {
      const e = await requireOidcProvider(tx, ctx.account, input.OpenIDConnectProviderArn);
      if (e.doc.ClientIDList.includes(input.ClientID)) return {};
      await tx.update(ctx.account, KIND.oidcProvider, e.key, { ...e.doc, ClientIDList: clientIds([...e.doc.ClientIDList, input.ClientID]) });
      return {};
    },
  });

  const removeClientId = defineOp<ProviderArnInput & { ClientID: string }>('RemoveClientIDFromOpenIDConnectProvider', {
    authorize: async (input, ctx, tx) => [await oidcProviderCheck(tx, ctx, 'RemoveClientIDFromOpenIDConnectProvider', input.OpenIDConnectProviderArn)],
    async handle(input, ctx, tx) {
      const e = await requireOidcProvider(tx, ctx.account, input.OpenIDConnectProviderArn);
      if (!e.doc.ClientIDList.includes(input.ClientID)) return {};
      await tx.update(ctx.account, KIND.oidcProvider, e.key, { ...e.doc, ClientIDList: e.doc.ClientIDList.filter((c) => c !== input.ClientID) });
      return {};
    },
  });

  const updateThumbprints = defineOp<ProviderArnInput & { ThumbprintList: string[] }>('UpdateOpenIDConnectProviderThumbprint', {
    authorize: async (input, ctx, tx) => [await oidcProviderCheck(tx, ctx, 'UpdateOpenIDConnectProviderThumbprint', input.OpenIDConnectProviderArn)],
    async handle(input, ctx, tx) {
      const e = await requireOidcProvider(tx, ctx.account, input.OpenIDConnectProviderArn);
      await tx.update(ctx.account, KIND.oidcProvider, e.key, { ...e.doc, ThumbprintList: thumbprints(input.ThumbprintList) });
      return {};
    },
  });

  return [createProvider, getProvider, listProviders, deleteProvider, addClientId, removeClientId, updateThumbprints];
}
