// Does one statement apply to one request? The same function serves evaluate() — where it only has
// to say yes or no — and explain(), where it also says why not. Keeping one code path is what makes
// explain()'s decision equal evaluate()'s by construction.

import type { CompiledStatement } from './compile.ts';
import { RequestContext } from './context.ts';
import type { Glob } from './glob.ts';
import type { PrincipalGrant } from './principal.ts';
import type { AuthzRequest, ContextValue, RequestPrincipal, StatementMiss } from './types.ts';

/** A request prepared once for every statement it meets. */
export class PreparedRequest {
  readonly actionLower: string;
  /** The lower-cased service prefix of the action (`ec2` for `ec2:CreateTags`). */
  readonly service: string;
  readonly context: RequestContext;
  readonly principal: RequestPrincipal;
  readonly resource: string;
  readonly resourceAccount: string | undefined;

  constructor(readonly request: AuthzRequest) {
    this.actionLower = request.action.toLowerCase();
    const colon = this.actionLower.indexOf(':');
    this.service = colon < 0 ? this.actionLower : this.actionLower.slice(0, colon);
    this.context = new RequestContext(request.context);
    this.principal = request.principal;
    this.resource = request.resource;
    this.resourceAccount = request.resourceAccount ?? request.principal.account;
  }
}

/** Whether a statement applies, and for a resource-based Allow, what its Principal named. */
export interface StatementMatch {
  applies: boolean;
  grant: PrincipalGrant | undefined;
  miss: StatementMiss | undefined;
}

/**
 * Match `statement` against `request`. With `describe` false, `match.miss` is left undefined (no
 * strings are built); with `describe` true it holds the first reason the statement does not apply.
 * `hasBoundary` carries AWS's documented quirk: a Deny with NotPrincipal always denies a principal
 * that has a permissions boundary.
 */
export function matchStatement(
  statement: CompiledStatement,
  request: PreparedRequest,
  hasBoundary: boolean,
  describe: boolean,
  match: StatementMatch,
): void {
  match.applies = false;
  match.grant = undefined;
  match.miss = undefined;

  // Action
  const actions = statement.actions;
  const actionListed = actions !== null && anyMatches(actions, request.actionLower, null);
  if (actions === null || actionListed === statement.notAction) {
    if (describe) match.miss = { kind: 'action', detail: actionDetail(statement, request.request.action) };
    return;
  }

  // Resource
  const resources = statement.resources;
  if (resources !== null) {
    const listed = anyMatches(resources, request.resource, request.context);
    if (listed === statement.notResource) {
      if (describe) match.miss = { kind: 'resource', detail: resourceDetail(statement, request.resource) };
      return;
    }
  }

  // Principal
  const principal = statement.principal;
  if (principal !== null) {
    if (statement.notPrincipal) {
      const exempt = principal.listsWholeChain(request.principal);
      const boundaryQuirk = hasBoundary && statement.effect === 'Deny';
      if (exempt && !boundaryQuirk) {
        if (describe) {
          match.miss = { kind: 'principal', detail: `NotPrincipal lists ${request.principal.arn} and every identity it acts for` };
        }
        return;
      }
      match.grant = 'wildcard';
    } else {
      const grant = principal.grantFor(request.principal);
      if (grant === undefined) {
        if (describe) match.miss = { kind: 'principal', detail: `Principal does not name ${request.principal.arn}` };
        return;
      }
      match.grant = grant;
    }
  }

  // Conditions: every clause must hold.
  for (const condition of statement.conditions) {
    if (!condition.test(request.context)) {
      if (describe) {
        const { operator, key, values } = condition.clause;
        const actual = condition.actual(request.context);
        match.miss = { kind: 'condition', operator, key, values, actual, detail: conditionDetail(operator, key, values, actual) };
      }
      return;
    }
  }
  match.applies = true;
}

function anyMatches(globs: readonly Glob[], input: string, context: RequestContext | null): boolean {
  for (const glob of globs) if (glob.test(input, context)) return true;
  return false;
}

function list(globs: readonly Glob[] | null): string {
  return JSON.stringify((globs ?? []).map((g) => g.source));
}

function actionDetail(statement: CompiledStatement, action: string): string {
  if (statement.actions === null) return 'the statement has no Action';
  return statement.notAction
    ? `${action} is excluded by NotAction ${list(statement.actions)}`
    : `${action} does not match Action ${list(statement.actions)}`;
}

function resourceDetail(statement: CompiledStatement, resource: string): string {
  return statement.notResource
    ? `${resource} is excluded by NotResource ${list(statement.resources)}`
    : `${resource} does not match Resource ${list(statement.resources)}`;
}

function conditionDetail(operator: string, key: string, values: string[], actual: ContextValue | null): string {
  const wanted = JSON.stringify(values);
  if (actual === null) return `${operator}: ${key} is absent from the request (policy values ${wanted})`;
  return `${operator}: ${key} is ${JSON.stringify(actual)} in the request, which does not satisfy ${wanted}`;
}
