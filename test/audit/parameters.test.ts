// Which request and response members never reach the event log, derived from the service models: every
// member whose shape a model marks sensitive, plus the secrets the models leave unmarked. A model that
// brings a new member looking like a secret fails here until it is classified, one way or the other.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { serviceNames } from '../../src/protocol/index.ts';
import { isSecretMember } from '../../src/audit/index.ts';
import { recordedMembers } from '../../src/audit/parameters.ts';

interface Table {
  shapes: Record<string, { sensitive?: boolean; members?: Record<string, { shape: string }> }>;
}

const MODELS = new URL('../../src/protocol/models/', import.meta.url);
// One model per service; services.json beside them is the wire table, not a model.
const models: [string, Table][] = serviceNames().map((name) => [`${name}.json`, JSON.parse(readFileSync(new URL(`${name}.json`, MODELS), 'utf8')) as Table]);

/** Every (model, structure, member, shape) of the generated tables. */
const members = models.flatMap(([file, table]) =>
  Object.entries(table.shapes).flatMap(([structure, shape]) =>
    Object.entries(shape.members ?? {}).map(([member, ref]) => ({ file, structure, member, target: table.shapes[ref.shape] })),
  ),
);

/** Member names that look like secrets but are not: flags, dates, counts, ids, paging tokens, policies. */
const NOT_SECRETS = new Set([
  'AllowUsersToChangePassword', 'AuthTokenEnabled', 'AuthTokenLastModifiedDate', 'AuthTokenStatus', 'AuthTokenUpdateStrategy',
  'ClientToken', 'CredentialAgeDays', 'Credentials', 'ExpirePasswords', 'GlobalEndpointTokenVersion', 'MaxPasswordAge',
  'MinimumPasswordLength', 'NextToken', 'NoPasswordRequired', 'PasswordCount', 'PasswordLastUsed', 'PasswordPolicy',
  'PasswordResetRequired', 'PasswordReusePrevention', 'PrivateKeyList', 'RemovePrivateKey', 'ServiceCredentialAlias',
  'ServiceSpecificCredential', 'ServiceSpecificCredentialId', 'ServiceSpecificCredentials', 'SubjectFromWebIdentityToken',
  'bearerTokenAuthenticationEnabled', 'expectedSequenceToken', 'nextBackwardToken', 'nextForwardToken', 'nextSequenceToken',
  'nextToken', 'sequenceToken', 'uploadSequenceToken',
  // Access Analyzer: idempotency tokens, the policy of a proposed Secrets Manager secret, when a password was last used.
  'clientToken', 'secretsManagerSecret', 'secretPolicy', 'unusedIamUserPasswordDetails',
]);

const LOOKS_SECRET = /secret|passw|token|privatekey|credential|seed|authenticationcode/i;

test('every member a model marks sensitive is left out', () => {
  const marked = members.filter((m) => m.target?.sensitive);
  // IAM and STS mark theirs (secret access keys, passwords, private keys, MFA seeds, web identity tokens).
  assert.ok(marked.length >= 15, `${marked.length} sensitive members`);
  for (const m of marked) assert.ok(isSecretMember(m.member), `${m.file} ${m.structure}.${m.member}`);
});

test('every member that looks like a secret is left out or known to be harmless', () => {
  const unclassified = members.filter((m) => LOOKS_SECRET.test(m.member) && !isSecretMember(m.member) && !NOT_SECRETS.has(m.member));
  assert.deepEqual(unclassified.map((m) => `${m.file} ${m.structure}.${m.member}`), []);
  // And those the models leave unmarked are caught by name.
  for (const name of ['SessionToken', 'AuthToken', 'Passwords', 'ServiceAccountPassword', 'TokenCode']) assert.ok(isSecretMember(name), name);
  // The harmless list holds nothing that is a secret.
  for (const name of NOT_SECRETS) assert.equal(isSecretMember(name), false, name);
});

test('secrets are dropped at any depth; their harmless neighbours are kept, as CloudTrail shows them', () => {
  const recorded = recordedMembers({
    UserName: 'u',
    Password: 'hunter2hunter2',
    PasswordResetRequired: true,
    Users: [{ Username: 'admin', Password: 'broker-password', Groups: ['g'] }],
    AuthenticationMode: { Type: 'password', Passwords: ['p1', 'p2'] },
    AuthToken: 'redis-auth-token-123',
    AuthTokenEnabled: true,
    Credentials: { AccessKeyId: 'ASIA', SecretAccessKey: 's3cr3t', SessionToken: 'IQoJ', Expiration: new Date(0) },
    LdapServerMetadata: { Hosts: ['ldap'], ServiceAccountPassword: 'ldap-pw' },
    TokenCode: '123456',
  });
  assert.deepEqual(recorded, {
    userName: 'u',
    passwordResetRequired: true,
    users: [{ username: 'admin', groups: ['g'] }],
    authenticationMode: { type: 'password' },
    authTokenEnabled: true,
    credentials: { accessKeyId: 'ASIA', expiration: '1970-01-01T00:00:00.000Z' },
    ldapServerMetadata: { hosts: ['ldap'] },
  });
});

test('a date out of range is left out of the record, not a reason to lose the event (found by the million-case fuzz)', () => {
  const recorded = recordedMembers({ StartTime: new Date(8.64e15 + 1), EndTime: new Date(0), Duration: 60 });
  assert.deepEqual(recorded, { endTime: '1970-01-01T00:00:00.000Z', duration: 60 });
});
