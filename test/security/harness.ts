// The privilege-escalation suite's one rule: an attempt is refused with the expected answer and leaves
// the account exactly as it was. "As it was" is read as root before and after, over everything an
// attempt could have changed: users, groups, roles, policies and their versions, attachments, inline
// policies, boundaries, access keys, and the linked services' resources.

import assert from 'node:assert/strict';
import {
  GetAccountAuthorizationDetailsCommand,
  ListAccessKeysCommand,
  type GetAccountAuthorizationDetailsCommandOutput,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { DescribeClustersCommand, MemoryDBClient } from '@aws-sdk/client-memorydb';
import { rejects } from '../helpers/rejects.ts';
import type { TestServer } from '../helpers/server.ts';

export interface Refusal {
  /** The SDK's error name (`AccessDenied`, `UnmodifiableEntityException`, …). */
  name: string;
  message?: string | RegExp;
  status?: number;
}

async function accountState(iam: IAMClient, memorydb: MemoryDBClient): Promise<string> {
  const pages: GetAccountAuthorizationDetailsCommandOutput[] = [];
  let Marker: string | undefined;
  do {
    const page = await iam.send(new GetAccountAuthorizationDetailsCommand({ Marker }));
    pages.push(page);
    Marker = page.IsTruncated ? page.Marker : undefined;
  } while (Marker);
  const users = pages.flatMap((p) => p.UserDetailList ?? []);
  const keys = await Promise.all(users.map(async (u) => (await iam.send(new ListAccessKeysCommand({ UserName: u.UserName }))).AccessKeyMetadata));
  const clusters = (await memorydb.send(new DescribeClustersCommand({}))).Clusters ?? [];
  const strip = ({ $metadata: _m, ...rest }: GetAccountAuthorizationDetailsCommandOutput) => rest;
  return JSON.stringify({ details: pages.map(strip), keys, clusters: clusters.map((c) => [c.Name, c.Status]) });
}

/** Attempts refused so far in this process: the suite proves it made as many as it claims. */
export let attemptsRefused = 0;

export function attempts(server: TestServer) {
  const iam = server.iam();
  const memorydb = server.client(MemoryDBClient);
  /** `call` is refused as `refusal` says, and nothing of the account changed. */
  return async function refused(call: () => Promise<unknown>, refusal: Refusal): Promise<void> {
    const before = await accountState(iam, memorydb);
    await rejects(call(), refusal.name, refusal.message, refusal.status);
    assert.equal(await accountState(iam, memorydb), before, 'the refused attempt changed the account');
    attemptsRefused++;
  };
}

export const accessDenied = (message?: string | RegExp): Refusal => ({ name: 'AccessDenied', status: 403, ...(message ? { message } : {}) });
