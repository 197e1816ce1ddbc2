// Where statements are in a policy's text (MatchedStatements' StartPosition / EndPosition), and the
// condition keys a policy refers to (GetContextKeysFor…Policy).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contextKeysOf, parsePolicy, statementPositions } from '../../src/policy/index.ts';

test('the recorded one-line document: the statement is reported from column 41 to column 113', () => {
  // The document LocalStack's recorded test sent to AWS (Python's json.dumps separators), and AWS's answer.
  const text = '{"Version": "2012-10-17", "Statement": {"Sid": "", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}}';
  assert.deepEqual(statementPositions(text), [{ start: { line: 1, column: 41 }, end: { line: 1, column: 113 } }]);
});

test('each statement of a list, on several lines: just past its { and just past its }', () => {
  const text = [
    '{',
    '  "Version": "2012-10-17",',
    '  "Statement": [',
    '    {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},',
    '    {',
    '      "Effect": "Deny",',
    '      "Action": "s3:DeleteBucket",',
    '      "Resource": "*"',
    '    }',
    '  ]',
    '}',
  ].join('\n');
  assert.deepEqual(statementPositions(text), [
    { start: { line: 4, column: 6 }, end: { line: 4, column: 59 } },
    { start: { line: 5, column: 6 }, end: { line: 9, column: 6 } },
  ]);
});

test('CRLF and a lone CR each end one line', () => {
  const crlf = '{\r\n"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}\r\n}';
  assert.deepEqual(statementPositions(crlf), [{ start: { line: 2, column: 15 }, end: { line: 2, column: 65 } }]);
  const cr = crlf.replaceAll('\r\n', '\r');
  assert.deepEqual(statementPositions(cr), statementPositions(crlf));
});

test('a text that is not a policy document has no statement positions', () => {
  assert.deepEqual(statementPositions('not json'), []);
  assert.deepEqual(statementPositions('[1,2]'), []);
  assert.deepEqual(statementPositions('{"Statement": ["x"]}'), []);
});

test('context keys: conditions and variables, once each whatever their case, in order of appearance', () => {
  const parsed = parsePolicy(
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/${aws:username}/*' },
        {
          Effect: 'Allow',
          Action: 's3:PutObject',
          Resource: '*',
          Condition: {
            StringEquals: { 'aws:PrincipalTag/team': '${aws:PrincipalTag/Project}', 'AWS:UserName': 'x' },
            IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
          },
        },
      ],
    }),
    'identity',
  );
  assert.ok(parsed.ok);
  assert.deepEqual([...contextKeysOf(parsed.policy).values()], ['aws:username', 'aws:PrincipalTag/team', 'aws:PrincipalTag/Project', 'aws:SourceIp']);
});

test('context keys: without Version 2012-10-17, ${…} is text and names no key', () => {
  const parsed = parsePolicy('{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/${aws:username}"}}', 'identity');
  assert.ok(parsed.ok);
  assert.deepEqual([...contextKeysOf(parsed.policy).values()], []);
});
