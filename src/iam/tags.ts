// Tag rules shared by users, roles and customer managed policies. Lengths, patterns and the 50-tag
// request limit are the model's, checked by the protocol layer; what is left is semantics: duplicate
// keys, the reserved `aws:` prefix, the per-entity total, and how TagX merges into existing tags.
// User and role tag keys are case-insensitive (a new `Env` replaces `env`); policy tag keys are not.

import type { ContextValues } from '../policy/types.ts';
import { duplicateTagKeys, invalidInput, tagLimit } from './errors.ts';
import type { Tag } from './model.ts';
import { requestTagContext, resourceTagContext as tagContext } from '../authz/tag-context.ts';

const fold = (key: string, caseInsensitive: boolean): string => (caseInsensitive ? key.toLowerCase() : key);

/** Rejects duplicate keys (AWS's two texts differ by entity) and keys under the reserved `aws:` prefix. */
export function checkNewTags(tags: readonly Tag[], caseInsensitive: boolean): void {
  const seen = new Set<string>();
  for (const tag of tags) {
    const k = fold(tag.Key, caseInsensitive);
    if (seen.has(k)) throw duplicateTagKeys(caseInsensitive);
    seen.add(k);
  }
  for (const tag of tags) {
    if (tag.Key.toLowerCase().startsWith('aws:')) throw invalidInput('Tag keys starting with "aws:" are reserved for AWS use.');
  }
}

/** `existing` with `add` applied: a matching key is replaced in place (taking the new key's spelling), others are appended. */
export function mergeTags(existing: readonly Tag[], add: readonly Tag[], caseInsensitive: boolean, max: number): Tag[] {
  checkNewTags(add, caseInsensitive);
  const merged = existing.map((t) => ({ ...t }));
  for (const tag of add) {
    const at = merged.findIndex((t) => fold(t.Key, caseInsensitive) === fold(tag.Key, caseInsensitive));
    if (at >= 0) merged[at] = { Key: tag.Key, Value: tag.Value };
    else merged.push({ Key: tag.Key, Value: tag.Value });
  }
  if (merged.length > max) throw tagLimit();
  return merged;
}

export function removeTags(existing: readonly Tag[], keys: readonly string[], caseInsensitive: boolean): Tag[] {
  const drop = new Set(keys.map((k) => fold(k, caseInsensitive)));
  return existing.filter((t) => !drop.has(fold(t.Key, caseInsensitive)));
}



export { requestTagContext };

/** `aws:ResourceTag/<key>`, plus `iam:ResourceTag/<key>` for users and roles (the keys IAM documents for them). */
export const resourceTagContext = (tags: readonly Tag[], iamKeys: boolean): ContextValues => tagContext(tags, iamKeys ? ['iam'] : []);
