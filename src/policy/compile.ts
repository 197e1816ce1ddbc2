// Compiling a parsed policy: every pattern and condition value is prepared once, and statements are
// indexed by the service prefix of their actions, so a request for `ec2:CreateTags` looks only at
// statements that name `ec2:…` actions (plus those whose actions could match any service: `*`,
// `*:Get*`, NotAction).

import { compileCondition, type CompiledCondition } from './conditions.ts';
import { compileGlob, type Glob } from './glob.ts';
import { CompiledPrincipal } from './principal.ts';
import type { CompiledPolicy, Effect, ParsedPolicy, PolicyKind, Statement } from './types.ts';

export interface CompiledStatement {
  readonly statement: Statement;
  readonly effect: Effect;
  /** `Action` (or, with `notAction`, `NotAction`) patterns, lower-cased; `null` when neither is written. */
  readonly actions: readonly Glob[] | null;
  readonly notAction: boolean;
  /** `Resource` / `NotResource` patterns; `null` when neither is written (trust policies). */
  readonly resources: readonly Glob[] | null;
  readonly notResource: boolean;
  /** `Principal` / `NotPrincipal`; `null` when neither is written (identity-side policies). */
  readonly principal: CompiledPrincipal | null;
  readonly notPrincipal: boolean;
  readonly conditions: readonly CompiledCondition[];
}

const NO_STATEMENTS: readonly CompiledStatement[] = Object.freeze([]);

/** The compiled statements of a document and their index; shared by every label of the document. */
interface CompiledBody {
  readonly statements: readonly CompiledStatement[];
  /** Statements naming actions of one service, by lower-cased service prefix. */
  readonly byService: ReadonlyMap<string, readonly CompiledStatement[]>;
  /** Statements that may match an action of any service. */
  readonly anyService: readonly CompiledStatement[];
}

export class CompiledPolicyDocument implements CompiledPolicy {
  private readonly body: CompiledBody;

  constructor(readonly parsed: ParsedPolicy, readonly label: string, body?: CompiledBody) {
    this.body = body ?? compileBody(parsed);
  }

  get kind(): PolicyKind {
    return this.parsed.kind;
  }

  get statements(): readonly CompiledStatement[] {
    return this.body.statements;
  }

  /** Statements that may match an action of any service (`*`, `*:Get*`, NotAction). */
  get anyService(): readonly CompiledStatement[] {
    return this.body.anyService;
  }

  /** Statements naming actions of `service` (lower-case); see also `anyService`. */
  statementsFor(service: string): readonly CompiledStatement[] {
    return this.body.byService.get(service) ?? NO_STATEMENTS;
  }

  /** The same compiled document under another label (no recompilation). */
  withLabel(label: string): CompiledPolicyDocument {
    return new CompiledPolicyDocument(this.parsed, label, this.body);
  }
}

function compileBody(parsed: ParsedPolicy): CompiledBody {
  const variables = parsed.version === '2012-10-17';
  const statements = parsed.statements.map((s) => compileStatement(s, variables));
  const byService = new Map<string, CompiledStatement[]>();
  const anyService: CompiledStatement[] = [];
  for (const compiled of statements) {
    const services = servicesOf(compiled.statement);
    if (services === 'any') {
      anyService.push(compiled);
      continue;
    }
    for (const service of services) {
      let bucket = byService.get(service);
      if (!bucket) byService.set(service, (bucket = []));
      bucket.push(compiled);
    }
  }
  return { statements, byService, anyService };
}

/** The lower-cased service prefixes a statement's actions can belong to, or `any`. */
function servicesOf(statement: Statement): Set<string> | 'any' {
  if (statement.action === undefined) return statement.notAction === undefined ? new Set() : 'any';
  const services = new Set<string>();
  for (const action of statement.action) {
    const colon = action.indexOf(':');
    const prefix = colon < 0 ? action : action.slice(0, colon);
    if (colon < 0 || prefix.includes('*') || prefix.includes('?')) return 'any';
    services.add(prefix.toLowerCase());
  }
  return services;
}

function compileStatement(statement: Statement, variables: boolean): CompiledStatement {
  const actionPatterns = statement.action ?? statement.notAction;
  const resourcePatterns = statement.resource ?? statement.notResource;
  const principalSpec = statement.principal ?? statement.notPrincipal;
  return {
    statement,
    effect: statement.effect,
    actions: actionPatterns
      ? actionPatterns.map((a) => compileGlob(a, { wildcards: true, variables: false, ignoreCase: true }))
      : null,
    notAction: statement.action === undefined && statement.notAction !== undefined,
    resources: resourcePatterns
      ? resourcePatterns.map((r) => compileGlob(r, { wildcards: true, variables, arn: 'resource' }))
      : null,
    notResource: statement.resource === undefined && statement.notResource !== undefined,
    principal: principalSpec ? new CompiledPrincipal(principalSpec) : null,
    notPrincipal: statement.principal === undefined && statement.notPrincipal !== undefined,
    conditions: statement.conditions.map((c) => compileCondition(c, variables)),
  };
}

/** Compile once per distinct document; the result is immutable and safe to share and cache. */
export function compilePolicy(parsed: ParsedPolicy, label: string): CompiledPolicyDocument {
  return new CompiledPolicyDocument(parsed, label);
}

// Policies built by hand (`{ kind, label, parsed }`, e.g. in tests) are compiled on first use.
const adopted = new WeakMap<CompiledPolicy, CompiledPolicyDocument>();

export function asCompiled(policy: CompiledPolicy): CompiledPolicyDocument {
  if (policy instanceof CompiledPolicyDocument) return policy;
  let compiled = adopted.get(policy);
  if (!compiled) adopted.set(policy, (compiled = new CompiledPolicyDocument(policy.parsed, policy.label)));
  return compiled;
}
