// A policy that names an IAM user or role in its Principal names that entity, not its name. AWS
// checks the entity exists when the policy is written, remembers its unique id, shows the ARN only
// while that very entity lives, and the unique id (`AIDA…`, `AROA…`) once it is gone — when the
// statement matches nobody, "even if you recreate the user" (IAM User Guide, Principal element).
// iamd keeps the caller's text and, beside it, the unique id of every user or role it names; a read
// or an evaluation sees the text with every principal that is no longer the same entity replaced by
// its id, which the policy engine matches against no caller.

import { ApiError } from '../common/errors.ts';
import { isJsonObject, readJson, type JsonValue } from '../policy/json-reader.ts';
import { writeJson } from '../policy/json-writer.ts';
import type { ParsedPolicy, PrincipalSpec } from '../policy/types.ts';
import type { Tx } from '../store/types.ts';
import { findRole, findUser } from './lookups.ts';
import type { NamedPrincipals } from './model.ts';

const USER_OR_ROLE_ARN = /^arn:aws:iam::(\d{12}):(user|role)(\/(?:[^/]*\/)*)?([^/]+)$/;

function awsPrincipals(spec: PrincipalSpec | undefined): string[] {
  return spec === undefined || spec === '*' ? [] : (spec.AWS ?? []);
}

/** The unique id of the user or role `arn` names, when exactly that ARN exists (its path included). */
async function currentId(tx: Tx, arn: string): Promise<string | undefined> {
  const m = USER_OR_ROLE_ARN.exec(arn);
  if (!m) return undefined;
  const [, account, type, , name] = m;
  const entity = type === 'user' ? await findUser(tx, account!, name!) : await findRole(tx, account!, name!);
  if (!entity || entity.Arn !== arn) return undefined;
  return 'UserId' in entity ? entity.UserId : entity.RoleId;
}

/**
 * The users and roles `policy` names, each with its unique id now; undefined when it names none. A
 * name that is no user or role of an account iamd holds is refused as AWS refuses it.
 */
export async function resolveNamedPrincipals(tx: Tx, policy: ParsedPolicy): Promise<NamedPrincipals | undefined> {
  let named: NamedPrincipals | undefined;
  for (const statement of policy.statements) {
    for (const arn of [...awsPrincipals(statement.principal), ...awsPrincipals(statement.notPrincipal)]) {
      if (!USER_OR_ROLE_ARN.test(arn) || (named && arn in named)) continue;
      const id = await currentId(tx, arn);
      if (id === undefined) throw new ApiError('MalformedPolicyDocument', `Invalid principal in policy: "AWS":"${arn}"`, 400);
      (named ??= {})[arn] = id;
    }
  }
  return named;
}

/** Replaces, in every `Principal`/`NotPrincipal` `AWS` value, each ARN `gone` maps to its unique id. */
function replacePrincipals(document: JsonValue, gone: ReadonlyMap<string, string>): void {
  if (!isJsonObject(document)) return;
  const statements = document.get('Statement');
  for (const statement of Array.isArray(statements) ? statements : [statements ?? null]) {
    if (!isJsonObject(statement)) continue;
    for (const element of ['Principal', 'NotPrincipal']) {
      const spec = statement.get(element);
      if (!isJsonObject(spec)) continue;
      const aws = spec.get('AWS');
      if (typeof aws === 'string') spec.set('AWS', gone.get(aws) ?? aws);
      else if (Array.isArray(aws)) spec.set('AWS', aws.map((v) => (typeof v === 'string' ? (gone.get(v) ?? v) : v)));
    }
  }
}

/**
 * The document as it stands now: every named user or role that is not the same entity any more
 * (deleted, or deleted and made again under the same name) appears as the unique id it had. The
 * caller's text, untouched, while every named entity lives.
 */
export async function currentPolicyText(tx: Tx, text: string, named: NamedPrincipals | undefined): Promise<string> {
  if (named === undefined) return text;
  const gone = new Map<string, string>();
  for (const [arn, id] of Object.entries(named)) if ((await currentId(tx, arn)) !== id) gone.set(arn, id);
  if (gone.size === 0) return text;
  const read = readJson(text);
  // Stored documents were read by the same reader when written; keeping the old text would keep the ARN.
  if (!read.ok) throw new Error('a stored policy document no longer reads as JSON');
  replacePrincipals(read.value, gone);
  return writeJson(read.value);
}

/** A role as reads and evaluations must see it: its trust policy as it stands now. */
export async function withCurrentTrust<R extends { AssumeRolePolicyDocument: string; trustPrincipals?: NamedPrincipals }>(tx: Tx, role: R): Promise<R> {
  if (role.trustPrincipals === undefined) return role;
  return { ...role, AssumeRolePolicyDocument: await currentPolicyText(tx, role.AssumeRolePolicyDocument, role.trustPrincipals) };
}
