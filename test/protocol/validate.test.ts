import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeError, form, signedFor, wireRequest } from './helpers.ts';

const iam = (body: string) => decodeError(form('iam', `Version=2010-05-08&${body}`));

const expectValidation = (e: ReturnType<typeof decodeError>, code: string, message: string) => {
  assert.deepEqual([e.code, e.status, e.fault, e.message], [code, 400, 'Sender', message]);
};

test('IAM: one failed constraint, without the value (recorded messages)', () => {
  expectValidation(
    iam('Action=GetRole&RoleName=bad%20name'),
    'ValidationError',
    "1 validation error detected: Value at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
  );
  expectValidation(
    iam(`Action=GetRole&RoleName=${'r'.repeat(65)}`),
    'ValidationError',
    "1 validation error detected: Value at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64",
  );
  expectValidation(
    iam('Action=UpdateServiceSpecificCredential&ServiceSpecificCredentialId=ACCA12345678901234567&Status=Bogus'),
    'ValidationError',
    "1 validation error detected: Value at 'status' failed to satisfy constraint: Member must satisfy enum value set",
  );
  expectValidation(
    iam('Action=ListRoles&MaxItems=0'),
    'ValidationError',
    "1 validation error detected: Value at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
  );
  expectValidation(
    iam('Action=GetRole'),
    'ValidationError',
    "1 validation error detected: Value null at 'roleName' failed to satisfy constraint: Member must not be null",
  );
});

test('IAM: list elements and list lengths (recorded messages)', () => {
  const tags = Array.from({ length: 51 }, (_, i) => `Tags.member.${i + 1}.Key=k${i}&Tags.member.${i + 1}.Value=v`).join('&');
  expectValidation(
    iam(`Action=TagRole&RoleName=r&${tags}`),
    'ValidationError',
    "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50",
  );
  expectValidation(
    iam(`Action=TagRole&RoleName=r&Tags.member.1.Key=${'k'.repeat(129)}&Tags.member.1.Value=v`),
    'ValidationError',
    "1 validation error detected: Value at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128",
  );
  expectValidation(
    iam(`Action=UntagRole&RoleName=r&TagKeys.member.1=${'k'.repeat(129)}`),
    'ValidationError',
    "1 validation error detected: Value at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 128, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+, Member must not be null]",
  );
});

test('several failures are counted and joined with "; "', () => {
  const e = iam('Action=CreateOpenIDConnectProvider&Url=' + 'u'.repeat(256) + `&ClientIDList.member.1=${'c'.repeat(256)}&ThumbprintList.member.1=abc`);
  expectValidation(
    e,
    'ValidationError',
    '3 validation errors detected: ' +
      "Value at 'url' failed to satisfy constraint: Member must have length less than or equal to 255; " +
      "Value at 'clientIDList' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 255, Member must have length greater than or equal to 1]; " +
      "Value at 'thumbprintList' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 40, Member must have length greater than or equal to 40]",
  );
  const two = iam('Action=UpdateAccountPasswordPolicy&MinimumPasswordLength=200&PasswordReusePrevention=30');
  expectValidation(
    two,
    'ValidationError',
    "2 validation errors detected: Value at 'minimumPasswordLength' failed to satisfy constraint: Member must have value less than or equal to 128; " +
      "Value at 'passwordReusePrevention' failed to satisfy constraint: Member must have value less than or equal to 24",
  );
});

test('STS quotes the value (recorded message)', () => {
  const e = decodeError(
    form('sts', 'Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo&RoleSessionName=Session1%3A2'),
  );
  expectValidation(
    e,
    'ValidationError',
    "1 validation error detected: Value 'Session1:2' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
  );
});

test('JSON services: Logs InvalidParameterException, MemoryDB ValidationException, in their framework format', () => {
  const json = (service: string, target: string, body: unknown) =>
    decodeError(wireRequest('POST', '/', { ...signedFor(service), 'x-amz-target': target }, JSON.stringify(body)));
  expectValidation(
    json('logs', 'Logs_20140328.CreateLogGroup', { logGroupName: 'a:b' }),
    'InvalidParameterException',
    "1 validation error detected: Value 'a:b' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
  );
  expectValidation(
    json('logs', 'Logs_20140328.DescribeLogGroups', { logGroupNamePrefix: '' }),
    'InvalidParameterException',
    "2 validation errors detected: Value '' at 'logGroupNamePrefix' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+; " +
      "Value '' at 'logGroupNamePrefix' failed to satisfy constraint: Member must have length greater than or equal to 1",
  );
  expectValidation(
    json('memorydb', 'AmazonMemoryDB.CreateCluster', { ClusterName: 'c1', ACLName: 'open-access' }),
    'ValidationException',
    "1 validation error detected: Value null at 'nodeType' failed to satisfy constraint: Member must not be null",
  );
  expectValidation(
    json('logs', 'Logs_20140328.GetLogEvents', { logStreamName: 's', limit: 0 }),
    'InvalidParameterException',
    "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
  );
});

test('query values of the wrong type are validation errors, not crashes', () => {
  const e = iam('Action=ListRoles&MaxItems=ten');
  assert.equal(e.code, 'ValidationError');
  assert.match(e.message, /^1 validation error detected: Value at 'maxItems' failed to satisfy constraint: Member must be a number$/);
});
