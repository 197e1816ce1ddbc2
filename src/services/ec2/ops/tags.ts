// CreateTags and DeleteTags on any taggable resource, by id. Each resource is authorized on its own
// ARN with its current tags and the tags of the request.

import type { AuthzCheck, Operation } from '../../../common/call.ts';
import type { ApiError } from '../../../common/errors.ts';
import type { ContextValues } from '../../../policy/types.ts';
import { onTaggedResource } from '../authz.ts';
import { groupNotFound, invalidId, networkInterfaceNotFound, subnetNotFound, vpcEndpointNotFound, vpcNotFound } from '../errors.ts';
import { getResource, kindOfId, updateResource, type ResourceKind, type Tag } from '../model.ts';
import { ec2Operation } from '../operation.ts';
import { unique, type Region } from '../region.ts';
import { mergeTags, removeTags, requestTagContext } from '../tags.ts';

const NOT_FOUND: Record<string, (id: string) => ApiError> = {
  vpc: vpcNotFound,
  subnet: subnetNotFound,
  'security-group': groupNotFound,
  'network-interface': networkInterfaceNotFound,
  'vpc-endpoint': vpcEndpointNotFound,
};

interface Tagged {
  id: string;
  kind: ResourceKind<unknown>;
  doc: unknown;
}

async function resources(r: Region, ids: string[]): Promise<Tagged[]> {
  const out: Tagged[] = [];
  for (const id of unique(ids)) {
    const kind = kindOfId(id);
    if (!kind) throw invalidId(id);
    const doc = await getResource(r.tx, r.account, r.region, kind, id);
    if (doc === undefined) throw NOT_FOUND[kind.type](id);
    out.push({ id, kind, doc });
  }
  return out;
}

interface CreateTagsInput {
  DryRun?: boolean;
  Resources: string[];
  Tags: Tag[];
}

const createTags = ec2Operation<CreateTagsInput>({
  name: 'CreateTags',
  async authorize(input, r) {
    const context = requestTagContext(input.Tags.map((t) => ({ Key: t.Key, Value: t.Value ?? '' })));
    return (await resources(r, input.Resources)).map((t) => onTaggedResource(r, 'CreateTags', t.kind.type, t.id, t.kind.tagsOf(t.doc), context));
  },
  async handle(input, r) {
    for (const t of await resources(r, input.Resources)) {
      await updateResource(r.tx, r.account, r.region, t.kind, t.kind.withTags(t.doc, mergeTags(t.kind.tagsOf(t.doc), input.Tags)));
    }
  },
});

interface DeleteTagsInput {
  DryRun?: boolean;
  Resources: string[];
  Tags?: { Key: string; Value?: string }[];
}

function deleteContext(given: DeleteTagsInput['Tags'], current: Tag[]): ContextValues {
  // Without Tags, DeleteTags removes every tag: those are the keys it acts on.
  const keys = given && given.length > 0 ? given.map((t) => t.Key) : current.map((t) => t.Key);
  const context: ContextValues = keys.length > 0 ? { 'aws:TagKeys': keys } : {};
  for (const t of given ?? []) if (t.Value !== undefined) context[`aws:RequestTag/${t.Key}`] = t.Value;
  return context;
}

const deleteTags = ec2Operation<DeleteTagsInput>({
  name: 'DeleteTags',
  async authorize(input, r) {
    const checks: AuthzCheck[] = [];
    for (const t of await resources(r, input.Resources)) {
      const current = t.kind.tagsOf(t.doc);
      checks.push(onTaggedResource(r, 'DeleteTags', t.kind.type, t.id, current, deleteContext(input.Tags, current)));
    }
    return checks;
  },
  async handle(input, r) {
    for (const t of await resources(r, input.Resources)) {
      const current = t.kind.tagsOf(t.doc);
      const remaining = input.Tags && input.Tags.length > 0 ? removeTags(current, input.Tags) : [];
      await updateResource(r.tx, r.account, r.region, t.kind, t.kind.withTags(t.doc, remaining));
    }
  },
});

export const tagOperations: Operation[] = [createTags, deleteTags];
