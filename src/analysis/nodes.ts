// The graph's nodes: a principal as the authorizer sees it — its policy set (identity policies,
// boundary) and the request principal and context keys a call of its would carry — and the forms it
// can take after changing its own permissions (a variant): with any policy it likes written or
// attached, without its permissions boundary, in one more group, or with another version of one of
// its managed policies made the default.

import { compileForAnalysis } from './compile.ts';
import type { CompiledPolicy, ContextValues, PolicySet, RequestPrincipal } from '../policy/types.ts';
import type { GroupState, LabelledDocument, PrincipalState } from './state.ts';

/** The session name the analysis gives a role's sessions (it shows only in `aws:userid` and session ARNs). */
export const SESSION_NAME = 'iamd-analysis';

/** The label of the policy a principal that may write its own permissions would write: it allows everything. */
export const WRITTEN_POLICY_LABEL = '(any policy written by the previous step)';
const ALLOW_ALL = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}';

export interface Variant {
  /** Any identity policy it likes (PutUserPolicy, AttachRolePolicy, CreatePolicyVersion, …). */
  anyPolicy?: true;
  /** Its permissions boundary removed. */
  noBoundary?: true;
  /** A user added to this group (AddUserToGroup). */
  group?: string;
  /** Every stored version of this managed policy of its own in force (SetDefaultPolicyVersion picks one). */
  versionsOf?: string;
}

export interface Node {
  /** Unique in the graph: the principal's ARN, and the variant's marks after `#`. */
  key: string;
  /** The principal's ARN (a role's, not its session's). */
  arn: string;
  principal: PrincipalState;
  variant: Variant;
  set: PolicySet;
  request: RequestPrincipal;
  /** The global condition keys its calls carry that the state decides (principal keys). */
  context: ContextValues;
  /** A service-linked role: the service acting through it. It takes no steps of its own. */
  service?: string;
  /** A service-linked role the account does not have yet (it would be created by the first resource). */
  virtual?: boolean;
  /** Can do anything on anything (see graph.ts): no path from it needs looking at. */
  admin: boolean;
}

export const variantKey = (arn: string, variant: Variant): string => {
  const marks = [variant.anyPolicy && 'any-policy', variant.noBoundary && 'no-boundary', variant.group && `group:${variant.group}`, variant.versionsOf && `versions:${variant.versionsOf}`].filter(Boolean);
  return marks.length === 0 ? arn : `${arn}#${marks.join(',')}`;
};

const PRINCIPAL_TYPE = { user: 'User', role: 'AssumedRole' } as const;

function requestOf(account: string, principal: PrincipalState): RequestPrincipal {
  if (principal.type === 'user') return { kind: 'user', arn: principal.arn, account };
  return { kind: 'assumed-role', arn: `arn:aws:sts::${account}:assumed-role/${principal.name}/${SESSION_NAME}`, account, roleArn: principal.arn };
}

/** The keys a call of this principal carries whatever it asks (authz/context.ts's, less the request's own). */
function contextOf(account: string, principal: PrincipalState): ContextValues {
  const keys: ContextValues = {
    'aws:principalarn': principal.arn,
    'aws:principalaccount': account,
    'aws:principaltype': PRINCIPAL_TYPE[principal.type],
    'aws:userid': principal.type === 'user' ? principal.id : `${principal.id}:${SESSION_NAME}`,
    'aws:principalisawsservice': 'false',
    'aws:viaawsservice': 'false',
  };
  if (principal.type === 'user') keys['aws:username'] = principal.name;
  for (const tag of principal.tags) keys[`aws:principaltag/${tag.Key.toLowerCase()}`] = tag.Value;
  return keys;
}

const compile = (p: LabelledDocument, kind: 'identity' | 'boundary'): CompiledPolicy => compileForAnalysis(p.document, kind, p.label);

export interface VariantSources {
  group(name: string): GroupState | undefined;
  /** Every version of a managed policy, labelled by its ARN. */
  versions(arn: string): LabelledDocument[];
}

export function makeNode(account: string, principal: PrincipalState, variant: Variant, sources: VariantSources, options: { service?: string; virtual?: boolean } = {}): Node {
  const identity = principal.policies.map((p) => compile(p, 'identity'));
  if (variant.group) for (const p of sources.group(variant.group)?.policies ?? []) identity.push(compile(p, 'identity'));
  if (variant.versionsOf) for (const p of sources.versions(variant.versionsOf)) identity.push(compile(p, 'identity'));
  if (variant.anyPolicy) identity.push(compileForAnalysis(ALLOW_ALL, 'identity', WRITTEN_POLICY_LABEL));
  const set: PolicySet = { identity };
  if (principal.boundary && !variant.noBoundary) set.boundary = compile(principal.boundary, 'boundary');
  const node: Node = {
    key: variantKey(principal.arn, variant),
    arn: principal.arn,
    principal,
    variant,
    set,
    request: requestOf(account, principal),
    context: contextOf(account, principal),
    admin: false,
  };
  if (options.service !== undefined) node.service = options.service;
  if (options.virtual) node.virtual = true;
  return node;
}
