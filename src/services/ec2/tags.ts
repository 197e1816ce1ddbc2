// EC2 tags: what a request may set (TagSpecifications on create, CreateTags later), the rules EC2
// applies to them, and the condition keys they put in the authorization context.

import type { ContextValues } from '../../policy/types.ts';
import { ApiError } from '../../common/errors.ts';
import type { Ec2ResourceType } from './arn.ts';
import { invalidParameterValue } from './errors.ts';
import type { Tag } from './model.ts';
import { requestTagContext, resourceTagContext as tagContext } from '../../authz/tag-context.ts';

export const MAX_TAGS_PER_RESOURCE = 50;

export interface TagSpecification {
  ResourceType?: string;
  Tags?: Tag[];
}

function checkKeys(tags: readonly Tag[]): void {
  const seen = new Set<string>();
  for (const t of tags) {
    if (t.Key.toLowerCase().startsWith('aws:')) {
      throw invalidParameterValue(`Value ( ${t.Key} ) for parameter key is invalid. Tag keys starting with 'aws:' are reserved for internal use`);
    }
    if (seen.has(t.Key)) throw invalidParameterValue(`Duplicate tag key '${t.Key}' specified.`);
    seen.add(t.Key);
  }
}

const normalize = (tags: readonly Tag[]): Tag[] => tags.map((t) => ({ Key: t.Key, Value: t.Value ?? '' }));

/**
 * The tags a create call's TagSpecifications give the new resource of `type`; a specification for
 * another resource type is refused, as EC2 refuses it.
 */
export function tagsForCreate(specs: TagSpecification[] | undefined, type: Ec2ResourceType): Tag[] {
  const tags: Tag[] = [];
  for (const spec of specs ?? []) {
    if (spec.ResourceType !== type) {
      throw invalidParameterValue(`'${spec.ResourceType ?? ''}' is not a valid taggable resource type for this operation.`);
    }
    tags.push(...normalize(spec.Tags ?? []));
  }
  checkKeys(tags);
  if (tags.length > MAX_TAGS_PER_RESOURCE) throw tagLimitExceeded();
  return tags;
}

export function tagLimitExceeded(): ApiError {
  return new ApiError('TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.', 400);
}

/** CreateTags: new values replace existing ones of the same key (keys are case-sensitive). */
export function mergeTags(existing: readonly Tag[], add: readonly Tag[]): Tag[] {
  const incoming = normalize(add);
  checkKeys(incoming);
  const merged = existing.map((t) => ({ ...t }));
  for (const tag of incoming) {
    const at = merged.findIndex((t) => t.Key === tag.Key);
    if (at >= 0) merged[at] = tag;
    else merged.push(tag);
  }
  if (merged.length > MAX_TAGS_PER_RESOURCE) throw tagLimitExceeded();
  return merged;
}

/** DeleteTags: a tag given with a value is removed only if its value matches (an empty value matches only ''). */
export function removeTags(existing: readonly Tag[], remove: readonly { Key: string; Value?: string }[] | undefined): Tag[] {
  if (!remove || remove.length === 0) return [];
  return existing.filter((t) => !remove.some((r) => r.Key === t.Key && (r.Value === undefined || r.Value === t.Value)));
}



export { requestTagContext };

/** `ec2:ResourceTag/<key>` and `aws:ResourceTag/<key>`: the tags the resource already has. */
export const resourceTagContext = (tags: readonly Tag[]): ContextValues => tagContext(tags, ['ec2']);
