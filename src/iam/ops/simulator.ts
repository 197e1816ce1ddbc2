// IAM's policy simulator: SimulatePrincipalPolicy, SimulateCustomPolicy and the two
// GetContextKeysFor…Policy operations, on the engine that authorizes every call (src/iam/simulator/).
//
// Authorization as on AWS: the principal operations ask their action on the entity they read
// (PolicySourceArn), the custom ones on `*` — they read nothing of the account.

import type { CallContext } from '../../common/call.ts';
import { compileStored } from '../../authz/compile.ts';
import { contextKeysOf, type CompiledPolicy } from '../../policy/index.ts';
import { pageAtOffset, decimalOffsets } from '../../common/paging.ts';
import { check } from '../checks.ts';
import type { IamDeps } from '../deps.ts';
import { invalidMarker } from '../errors.ts';
import { DEFAULT_MAX_ITEMS } from '../pagination.ts';
import { anonymousCaller, parseEntityArn, resourceOwnerAccount, simulatedPrincipal } from '../simulator/arns.ts';
import { contextFromEntries, type ContextEntry } from '../simulator/context-entries.ts';
import { entityPolicies, type EntityPolicy } from '../simulator/entity-policies.ts';
import { invalidInput } from '../simulator/errors.ts';
import { compileExclusions, type PolicyIdentifier } from '../simulator/exclusions.ts';
import { requireResources } from '../simulator/resource-handling.ts';
import { simulate, type EvaluationResult, type Simulation } from '../simulator/simulate.ts';
import { parseInputPolicy, PolicySource, sourceLabel, type SourcePolicyType } from '../simulator/sources.ts';
import { defineOp } from './define.ts';

interface SimulationRequest {
  PolicyInputList?: string[];
  PermissionsBoundaryPolicyInputList?: string[];
  ActionNames: string[];
  ResourceArns?: string[];
  ResourcePolicy?: string;
  ResourceOwner?: string;
  CallerArn?: string;
  ContextEntries?: ContextEntry[];
  ResourceHandlingOption?: string;
  MaxItems?: number;
  Marker?: string;
}

interface PrincipalSimulationRequest extends SimulationRequest {
  PolicySourceArn: string;
  PolicyExclusionList?: PolicyIdentifier[];
}

interface CustomSimulationRequest extends SimulationRequest {
  PolicyInputList: string[];
  OrderedOrganizationPolicyInputList?: { ServiceControlPolicyInputList?: string[] }[];
}

/** iamd's bounds (the model sets none): every action of a page is simulated on every resource. */
const MAX_RESOURCES = 1000;
const MAX_EVALUATIONS = 20_000;

// The offset of the next EvaluationResult, as IAM's opaque Marker.
const PAGING = { tokens: decimalOffsets(() => invalidMarker()), size: { default: DEFAULT_MAX_ITEMS } };

/** Numbers the sources of one simulation, so each compiled policy's label leads back to it. */
class Sources {
  private count = 0;

  /** A document of the request, named by its member (`PolicyInputList.2`); IAM's refusal if it would refuse it. */
  given(member: string, type: SourcePolicyType, text: string, kind: 'identity' | 'boundary' | 'resource'): PolicySource {
    const label = sourceLabel(this.count++);
    return new PolicySource(member, type, text, parseInputPolicy(text, kind, label, member));
  }

  /** A stored policy of the entity, compiled as the authorizer compiles it (one that no longer parses grants nothing). */
  stored(p: EntityPolicy, kind: 'identity' | 'boundary'): PolicySource {
    // The name too: a stored policy that no longer parses is reported (once) under its label.
    const label = `${sourceLabel(this.count++)} ${p.id}`;
    return new PolicySource(p.id, p.type, p.document, compileStored(p.document, kind, label));
  }
}

/** `service:Action`, no wildcard: the simulator evaluates one operation at a time. */
function checkActionNames(actions: readonly string[]): void {
  for (const action of actions) {
    if (!/^[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+$/.test(action)) throw invalidInput(`Action name ${action} must be a service prefix and an action name, without wildcards, such as iam:CreateUser.`);
  }
}

function inputPolicies(sources: Sources, input: SimulationRequest): Pick<Simulation, 'identity' | 'boundary' | 'resourcePolicy'> {
  const identity = (input.PolicyInputList ?? []).map((text, i) =>
    sources.given(`PolicyInputList.${i + 1}`, 'IAM Policy', text, 'identity'),
  );
  const boundaries = input.PermissionsBoundaryPolicyInputList ?? [];
  if (boundaries.length > 1) throw invalidInput('You can specify only one permissions boundary policy in PermissionsBoundaryPolicyInputList.');
  const out: Pick<Simulation, 'identity' | 'boundary' | 'resourcePolicy'> = { identity };
  if (boundaries[0] !== undefined) {
    out.boundary = sources.given('PermissionsBoundaryPolicyInputList.1', 'IAM Policy', boundaries[0], 'boundary');
  }
  if (input.ResourcePolicy !== undefined) out.resourcePolicy = sources.given('ResourcePolicy', 'resource', input.ResourcePolicy, 'resource');
  return out;
}

/**
 * One page of results. Results are one per action, so only the page's actions are simulated; and a
 * page holds no more actions than keep it within MAX_EVALUATIONS (IAM "might return fewer than the
 * MaxItems number of results even when there are more results available").
 */
function answer(simulation: Simulation, input: SimulationRequest) {
  const perAction = simulation.resources?.length ?? 1;
  const size = Math.min(input.MaxItems ?? DEFAULT_MAX_ITEMS, Math.max(1, Math.floor(MAX_EVALUATIONS / perAction)));
  const page = pageAtOffset(input.ActionNames, { token: input.Marker, size }, PAGING);
  const EvaluationResults: EvaluationResult[] = simulate(simulation, page.items);
  return page.next === undefined ? { EvaluationResults, IsTruncated: false } : { EvaluationResults, IsTruncated: true, Marker: page.next };
}

function keysOf(policies: readonly CompiledPolicy[]): { ContextKeyNames: string[] } {
  const keys = new Map<string, string>();
  for (const p of policies) contextKeysOf(p.parsed, keys);
  return { ContextKeyNames: [...keys.values()] };
}

export function simulatorOperations(deps: IamDeps) {
  const simulatePrincipalPolicy = defineOp<PrincipalSimulationRequest>('SimulatePrincipalPolicy', {
    readOnly: true,
    authorize: (input) => [check('SimulatePrincipalPolicy', input.PolicySourceArn)],
    async handle(input, ctx, tx) {
      const entity = parseEntityArn(input.PolicySourceArn);
      checkActionNames(input.ActionNames);
      const exclusions = compileExclusions(input.PolicyExclusionList);
      const found = await entityPolicies(tx, deps, ctx.account, entity);
      const sources = new Sources();
      const own = found.policies
        .filter((p) => !exclusions.some((excluded) => excluded(p.origin)))
        .map((p) => sources.stored(p, 'identity'));
      const given = inputPolicies(sources, input);
      const simulation = prepare(input, ctx, { ...given, identity: [...own, ...given.identity] }, entity.arn);
      // A boundary in the request replaces the entity's (AWS documents as much).
      if (!simulation.boundary && found.boundary && !exclusions.some((excluded) => excluded(found.boundary!.origin))) {
        simulation.boundary = sources.stored(found.boundary, 'boundary');
      }
      return answer(simulation, input);
    },
  });

  const simulateCustomPolicy = defineOp<CustomSimulationRequest>('SimulateCustomPolicy', {
    readOnly: true,
    authorize: () => [check('SimulateCustomPolicy', '*')],
    async handle(input, ctx) {
      checkActionNames(input.ActionNames);
      const sources = new Sources();
      const simulation = prepare(input, ctx, inputPolicies(sources, input), undefined);
      const levels = input.OrderedOrganizationPolicyInputList ?? [];
      if (levels.length > 0) {
        simulation.organizations = levels.map((level, i) =>
          (level.ServiceControlPolicyInputList ?? []).map((text, j) =>
            parseInputPolicy(text, 'boundary', `scp ${i + 1}.${j + 1}`, `OrderedOrganizationPolicyInputList.${i + 1}.ServiceControlPolicyInputList.${j + 1}`),
          ),
        );
      }
      return answer(simulation, input);
    },
  });

  const getContextKeysForPrincipalPolicy = defineOp<{ PolicySourceArn: string; PolicyInputList?: string[] }>('GetContextKeysForPrincipalPolicy', {
    readOnly: true,
    authorize: (input) => [check('GetContextKeysForPrincipalPolicy', input.PolicySourceArn)],
    async handle(input, ctx, tx) {
      const entity = parseEntityArn(input.PolicySourceArn);
      const found = await entityPolicies(tx, deps, ctx.account, entity);
      const sources = new Sources();
      const policies = found.policies.map((p) => sources.stored(p, 'identity').policy);
      if (found.boundary) policies.push(sources.stored(found.boundary, 'boundary').policy);
      const given = inputPolicies(sources, { ActionNames: [], ...(input.PolicyInputList ? { PolicyInputList: input.PolicyInputList } : {}) });
      return keysOf([...policies, ...given.identity.map((s) => s.policy)]);
    },
  });

  const getContextKeysForCustomPolicy = defineOp<{ PolicyInputList: string[] }>('GetContextKeysForCustomPolicy', {
    readOnly: true,
    authorize: () => [check('GetContextKeysForCustomPolicy', '*')],
    async handle(input) {
      const given = inputPolicies(new Sources(), { ActionNames: [], PolicyInputList: input.PolicyInputList });
      return keysOf(given.identity.map((s) => s.policy));
    },
  });

  return [simulatePrincipalPolicy, simulateCustomPolicy, getContextKeysForPrincipalPolicy, getContextKeysForCustomPolicy];
}

/** What both simulations share: the caller, the resources and their owner, the context. */
function prepare(
  input: SimulationRequest,
  ctx: CallContext,
  policies: Pick<Simulation, 'identity' | 'boundary' | 'resourcePolicy'>,
  sourceArn: string | undefined,
): Simulation {
  const callerArn = input.CallerArn ?? sourceArn;
  if (policies.resourcePolicy && callerArn === undefined) {
    throw invalidInput('CallerArn must be specified when a ResourcePolicy is included in the simulation.');
  }
  const caller = callerArn === undefined ? anonymousCaller(ctx.account) : simulatedPrincipal(parseEntityArn(callerArn));
  const resources = input.ResourceArns && input.ResourceArns.length > 0 ? input.ResourceArns : undefined;
  if (resources && resources.length > MAX_RESOURCES) throw invalidInput(`ResourceArns may name at most ${MAX_RESOURCES} resources.`);
  if (input.ResourceHandlingOption !== undefined) requireResources(input.ResourceHandlingOption, resources ?? []);
  const simulation: Simulation = {
    ...policies,
    caller,
    resources,
    resourceOwner: input.ResourceOwner !== undefined ? resourceOwnerAccount(input.ResourceOwner) : (caller.account ?? ctx.account),
    context: contextFromEntries(input.ContextEntries),
  };
  return simulation;
}
