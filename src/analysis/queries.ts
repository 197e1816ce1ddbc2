// The three questions asked of an access graph, answered in the JSON shapes docs/analysis.md fixes
// (the console and `iamd analyze --format json` read them):
//   whoCan(action, resource)   every principal that can, directly or by the shortest path
//   reach(principal)           everything it can do, directly and through paths, by service
//   escalations()              each non-admin principal's shortest path to admin power

import type { ContextValues } from '../policy/types.ts';
import { resourceTagContext } from '../iam/tags.ts';
import type { Edge } from './edges.ts';
import type { AccessGraph } from './graph.ts';
import type { Node } from './nodes.ts';
import { compiledStatements } from './statements.ts';
import { allows, matchedStatements, type Step, type StepKind, type StatementRef } from './steps.ts';

export interface StepView {
  from: string;
  to: string;
  kind: StepKind;
  action: string;
  resource: string;
  /** The call's own condition keys, to replay it in the policy simulator (ContextEntries). */
  context: ContextValues;
  statements: StatementRef[];
}

export interface PathView {
  steps: StepView[];
}

export interface WhoCanAnswer {
  principals: { principal: string; direct: boolean; paths: PathView[] }[];
}

export interface ReachItem {
  action: string;
  resource: string;
  /** For a NotAction / NotResource grant: what it leaves out. */
  exceptActions?: string[];
  exceptResources?: string[];
  paths: PathView[];
}

export interface ReachAnswer {
  principal: string;
  services: Record<string, ReachItem[]>;
}

export interface EscalationsAnswer {
  paths: { principal: string; steps: StepView[] }[];
}

/** At most this many paths per item of `reach` (the shortest first). */
const PATHS_PER_ITEM = 5;

export function stepView(step: Step): StepView {
  return {
    from: step.node.arn,
    to: step.to,
    kind: step.kind,
    action: step.action,
    resource: step.resource,
    context: step.context,
    statements: matchedStatements(step),
  };
}

const stepsOf = (edges: readonly Edge[]): Step[] => edges.flatMap((e) => e.steps);

/** The keys a call about `arn` carries when it names an existing user or role (its tags, its boundary). */
function resourceContext(graph: AccessGraph, arn: string): ContextValues {
  const target = graph.principal(arn);
  if (!target) return {};
  const context = resourceTagContext(target.principal.tags, true);
  if (target.principal.boundary) context['iam:PermissionsBoundary'] = target.principal.boundary.label;
  return context;
}

/** For every node that reaches one of `targets`: its first edge on a shortest way there. */
function towards(graph: AccessGraph, targets: readonly Node[]): Map<Node, Edge | null> {
  const next = new Map<Node, Edge | null>(targets.map((t) => [t, null]));
  const queue = [...targets];
  for (let i = 0; i < queue.length; i++) {
    for (const edge of graph.into.get(queue[i]) ?? []) {
      if (next.has(edge.from)) continue;
      next.set(edge.from, edge);
      queue.push(edge.from);
    }
  }
  return next;
}

function follow(next: Map<Node, Edge | null>, from: Node): { edges: Edge[]; end: Node } {
  const edges: Edge[] = [];
  let node = from;
  for (let edge = next.get(node); edge; edge = next.get(node)) {
    edges.push(edge);
    node = edge.to;
  }
  return { edges, end: node };
}

const ASSUME_ACTIONS = new Set(['sts:assumerole', 'sts:tagsession', 'sts:setsourceidentity']);

export function whoCan(graph: AccessGraph, action: string, resource: string, extra: ContextValues = {}): WhoCanAnswer {
  const context = { ...resourceContext(graph, resource), ...extra };
  // Assuming a role of the account is judged with its trust policy, as STS judges it; a
  // service-linked role, or a role that is not there, lets nobody in.
  const assume = ASSUME_ACTIONS.has(action.toLowerCase()) && resource.startsWith(`arn:aws:iam::${graph.account}:role/`);
  const trust = assume ? graph.trusts.get(resource) : undefined;
  if (assume && !trust) return { principals: [] };
  const able = [...graph.nodes.values()].filter((node) => allows({ node, action, resource, context, ...(trust ? { trust } : {}) }));
  // Edges only where a path can run: into those that can act, then into those that reach them, …
  let next = towards(graph, able);
  for (let frontier = able; frontier.length > 0; ) {
    graph.expand(frontier);
    const before = next;
    next = towards(graph, able);
    frontier = [...next.keys()].filter((node) => !before.has(node));
  }
  const principals: (WhoCanAnswer['principals'][number] & { length: number })[] = [];
  for (const node of graph.principals) {
    if (!next.has(node)) continue;
    const { edges, end } = follow(next, node);
    const steps = stepsOf(edges).map(stepView);
    steps.push(stepView({ kind: 'direct', node: end, to: resource, action, resource, context, ...(trust ? { trust } : {}) }));
    principals.push({ principal: node.arn, direct: edges.length === 0, paths: [{ steps }], length: steps.length });
  }
  principals.sort((a, b) => a.length - b.length || a.principal.localeCompare(b.principal));
  return { principals: principals.map(({ length: _length, ...rest }) => rest) };
}

/** Every node `start` reaches, each with the edges of its shortest way there, nearest first. */
function reachable(graph: AccessGraph, start: Node): { node: Node; edges: Edge[] }[] {
  const found = new Map<Node, Edge[]>([[start, []]]);
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const path = found.get(queue[i])!;
    for (const edge of graph.out.get(queue[i]) ?? []) {
      if (found.has(edge.to)) continue;
      found.set(edge.to, [...path, edge]);
      queue.push(edge.to);
    }
  }
  return queue.map((node) => ({ node, edges: found.get(node)! }));
}

const namespaceOf = (action: string): string => {
  const colon = action.indexOf(':');
  return colon < 0 || /[*?]/.test(action.slice(0, colon)) ? '*' : action.slice(0, colon).toLowerCase();
};

/** The grants of a node's identity statements that its whole policy set lets through, as written. */
function grantsOf(node: Node): Omit<ReachItem, 'paths'>[] {
  const grants: Omit<ReachItem, 'paths'>[] = [];
  for (const policy of node.set.identity) {
    for (const { statement } of compiledStatements(policy).statements) {
      if (statement.effect !== 'Allow') continue;
      const actions = statement.action ?? ['*'];
      const resources = statement.resource ?? ['*'];
      for (const action of actions) {
        for (const resource of resources) {
          // The pattern itself, as a request, stands for what it covers: boundaries, denies and
          // conditions of the whole set are applied to it by the engine.
          if (!allows({ node, action, resource, context: {} })) continue;
          const grant: Omit<ReachItem, 'paths'> = { action, resource };
          if (statement.notAction) grant.exceptActions = statement.notAction;
          if (statement.notResource) grant.exceptResources = statement.notResource;
          grants.push(grant);
        }
      }
    }
  }
  return grants;
}

export function reach(graph: AccessGraph, principalArn: string): ReachAnswer | undefined {
  const start = graph.principal(principalArn);
  if (!start) return undefined;
  graph.complete();
  const services: Record<string, ReachItem[]> = {};
  const items = new Map<string, ReachItem>();
  for (const { node, edges } of reachable(graph, start)) {
    for (const grant of grantsOf(node)) {
      const key = JSON.stringify([grant.action, grant.resource, grant.exceptActions, grant.exceptResources]);
      let item = items.get(key);
      if (!item) {
        item = { ...grant, paths: [] };
        items.set(key, item);
        (services[namespaceOf(grant.action)] ??= []).push(item);
      }
      if (item.paths.length >= PATHS_PER_ITEM) continue;
      const steps = stepsOf(edges).map(stepView);
      steps.push(stepView({ kind: 'direct', node, to: grant.resource, action: grant.action, resource: grant.resource, context: {} }));
      item.paths.push({ steps });
    }
  }
  const sorted: Record<string, ReachItem[]> = {};
  for (const namespace of Object.keys(services).sort()) sorted[namespace] = services[namespace];
  return { principal: start.arn, services: sorted };
}

export function escalations(graph: AccessGraph): EscalationsAnswer {
  graph.complete();
  const admins = [...graph.nodes.values()].filter((n) => n.admin);
  const next = towards(graph, admins);
  const paths: EscalationsAnswer['paths'] = [];
  for (const node of graph.principals) {
    if (node.admin || node.service || !next.has(node)) continue;
    paths.push({ principal: node.arn, steps: stepsOf(follow(next, node).edges).map(stepView) });
  }
  paths.sort((a, b) => a.steps.length - b.steps.length || a.principal.localeCompare(b.principal));
  return { paths };
}
