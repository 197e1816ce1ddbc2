// Conformance: the documented examples of AWS's IAM User Guide, kept as data in fixtures/*.json.
// Each case names its source (page URL and section), the policies, the request and the decision AWS
// documents. Every case is decided by evaluate() and by explain(), which must agree.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { evaluate, explain } from '../../src/policy/index.ts';
import type { ContextValues, Decision, DenyingPolicyType, PolicyKind, PolicySet, RequestPrincipal } from '../../src/policy/types.ts';
import { compiled, user } from './helpers.ts';

interface FixtureCase {
  name: string;
  source?: { url: string; section: string };
  policies: {
    identity: unknown[];
    resource?: unknown;
    resourceKind?: Extract<PolicyKind, 'resource' | 'trust'>;
    boundary?: unknown;
    session?: unknown[];
  };
  request: { principal?: RequestPrincipal; action: string; resource: string; resourceAccount?: string; context: ContextValues };
  expect: { decision: Decision; deniedBy?: DenyingPolicyType };
}

interface FixtureFile {
  title: string;
  source: { url: string; section: string };
  cases: FixtureCase[];
}

const folder = join(import.meta.dirname, 'fixtures');
const files = readdirSync(folder).filter((f) => f.endsWith('.json')).sort();

function policySet(c: FixtureCase): PolicySet {
  const set: PolicySet = { identity: c.policies.identity.map((d, i) => compiled(d, 'identity', `identity-${i}`)) };
  if (c.policies.resource !== undefined) set.resource = compiled(c.policies.resource, c.policies.resourceKind ?? 'resource', 'resource-policy');
  if (c.policies.boundary !== undefined) set.boundary = compiled(c.policies.boundary, 'boundary', 'boundary');
  if (c.policies.session !== undefined) set.session = c.policies.session.map((d, i) => compiled(d, 'session', `session-${i}`));
  return set;
}

it('has conformance fixtures', () => {
  assert.ok(files.length >= 5, `fixture files: ${files.join(', ')}`);
});

for (const file of files) {
  const fixture = JSON.parse(readFileSync(join(folder, file), 'utf8')) as FixtureFile;
  describe(`${file}: ${fixture.title}`, () => {
    for (const c of fixture.cases) {
      it(c.name, () => {
        const source = c.source ?? fixture.source;
        assert.match(source.url, /^https:\/\/docs\.aws\.amazon\.com\//, 'every case names its AWS source');
        const set = policySet(c);
        const request = { ...c.request, principal: c.request.principal ?? user('alice') };
        const result = evaluate(set, request);
        const why = `${source.url} § ${source.section}`;
        assert.equal(result.decision, c.expect.decision, why);
        assert.equal(result.deniedBy, c.expect.deniedBy, `deniedBy — ${why}`);
        const explained = explain(set, request);
        assert.equal(explained.decision, result.decision, 'explain() and evaluate() agree');
        assert.equal(explained.deniedBy, result.deniedBy);
        if (result.decision === 'ExplicitDeny') {
          assert.ok(explained.matched.some((t) => t.effect === 'Deny' && t.policyType === result.deniedBy), 'the denying statement is shown');
        }
        assert.equal(explained.matched.length + explained.unmatched.length, countStatements(set), 'every statement is traced');
      });
    }
  });
}

function countStatements(set: PolicySet): number {
  const all = [...set.identity, ...(set.resource ? [set.resource] : []), ...(set.boundary ? [set.boundary] : []), ...(set.session ?? [])];
  return all.reduce((n, p) => n + p.parsed.statements.length, 0);
}
