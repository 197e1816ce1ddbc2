// IAM's Organizations features, delegation requests and outbound web identity federation through the
// real SDK: iamd's accounts are in no organization and no partner is onboarded, so each answers as AWS
// answers such an account (with the model's error codes), the federation switch turns on and off for
// real — and every call first asks its own permission.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AcceptDelegationRequestCommand,
  AssociateDelegationRequestCommand,
  CreateDelegationRequestCommand,
  DisableOrganizationsRootCredentialsManagementCommand,
  DisableOrganizationsRootSessionsCommand,
  DisableOutboundWebIdentityFederationCommand,
  EnableOrganizationsRootCredentialsManagementCommand,
  EnableOrganizationsRootSessionsCommand,
  EnableOutboundWebIdentityFederationCommand,
  GenerateOrganizationsAccessReportCommand,
  GetDelegationRequestCommand,
  GetHumanReadableSummaryCommand,
  GetOrganizationsAccessReportCommand,
  GetOutboundWebIdentityFederationInfoCommand,
  ListDelegationRequestsCommand,
  ListOrganizationsFeaturesCommand,
  RejectDelegationRequestCommand,
  SendDelegationTokenCommand,
  UpdateDelegationRequestCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { startServer, type Credentials, type TestServer } from '../helpers/server.ts';
import { rejects } from '../helpers/rejects.ts';
import { ACCOUNT } from '../helpers/accounts.ts';
import { allow, freshAccount, policy, userWithKey } from '../helpers/iam.ts';

let server: TestServer;
let admin: IAMClient;
let nobody: IAMClient;

before(async () => {
  server = await startServer();
  admin = server.iam(await userWithKey(server.iam(), 'admin', policy(allow('iam:*'))));
  const none: Credentials = await userWithKey(server.iam(), 'nobody');
  nobody = server.iam(none);
});
after(() => server.close());

const denied = (action: string, resource = '*') =>
  `User: arn:aws:iam::${ACCOUNT}:user/nobody is not authorized to perform: iam:${action} on resource: ${resource} because no identity-based policy allows the iam:${action} action`;

const NO_ORGANIZATION = 'The request was rejected because no organization is associated with your account.';
const featureCommands = {
  ListOrganizationsFeatures: () => new ListOrganizationsFeaturesCommand({}),
  EnableOrganizationsRootCredentialsManagement: () => new EnableOrganizationsRootCredentialsManagementCommand({}),
  DisableOrganizationsRootCredentialsManagement: () => new DisableOrganizationsRootCredentialsManagementCommand({}),
  EnableOrganizationsRootSessions: () => new EnableOrganizationsRootSessionsCommand({}),
  DisableOrganizationsRootSessions: () => new DisableOrganizationsRootSessionsCommand({}),
};

test('the centralized root access features answer OrganizationNotFoundException, and ask their permission first', async () => {
  for (const [action, command] of Object.entries(featureCommands)) {
    await rejects(admin.send(command()), 'OrganizationNotFoundException', NO_ORGANIZATION, 400);
    await rejects(nobody.send(command()), 'AccessDenied', denied(action), 403);
  }
});

test('the Organizations access report: no organization to report on, no job to read', async () => {
  const EntityPath = 'o-a1b2c3d4e5/r-f6g7h8i9j0example';
  await rejects(admin.send(new GenerateOrganizationsAccessReportCommand({ EntityPath })), 'OrganizationNotFoundException', NO_ORGANIZATION, 400);
  await rejects(
    nobody.send(new GenerateOrganizationsAccessReportCommand({ EntityPath })),
    'AccessDenied',
    denied('GenerateOrganizationsAccessReport', `arn:aws:iam::${ACCOUNT}:access-report/${EntityPath}`),
    403,
  );
  const JobId = 'examplea-1234-b567-cde8-90fg123abcd4';
  await rejects(admin.send(new GetOrganizationsAccessReportCommand({ JobId })), 'NoSuchEntityException', `The report with job ID ${JobId} does not exist.`, 404);
  await rejects(nobody.send(new GetOrganizationsAccessReportCommand({ JobId })), 'AccessDenied', denied('GetOrganizationsAccessReport'), 403);
});

test('delegation requests: none can be created, so none is found and the list is empty', async () => {
  const create = () =>
    new CreateDelegationRequestCommand({
      Description: 'd',
      Permissions: { PolicyTemplateArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
      RequestorWorkflowId: 'workflow-1',
      NotificationChannel: 'arn:aws:sns:us-east-1:123456789012:topic',
      SessionDuration: 3600,
    });
  await rejects(admin.send(create()), 'InvalidInputException', `Account ${ACCOUNT} is not onboarded as a partner that may create delegation requests.`, 400);
  await rejects(nobody.send(create()), 'AccessDenied', denied('CreateDelegationRequest'), 403);

  const DelegationRequestId = 'dr-0123456789abcdef';
  const onRequest = {
    GetDelegationRequest: () => new GetDelegationRequestCommand({ DelegationRequestId }),
    AcceptDelegationRequest: () => new AcceptDelegationRequestCommand({ DelegationRequestId }),
    AssociateDelegationRequest: () => new AssociateDelegationRequestCommand({ DelegationRequestId }),
    RejectDelegationRequest: () => new RejectDelegationRequestCommand({ DelegationRequestId, Notes: 'no' }),
    UpdateDelegationRequest: () => new UpdateDelegationRequestCommand({ DelegationRequestId, Notes: 'more' }),
    SendDelegationToken: () => new SendDelegationTokenCommand({ DelegationRequestId }),
  };
  for (const [action, command] of Object.entries(onRequest)) {
    await rejects(admin.send(command()), 'NoSuchEntityException', `The delegation request with ID ${DelegationRequestId} does not exist.`, 404);
    await rejects(nobody.send(command()), 'AccessDenied', denied(action), 403);
  }

  const listed = await admin.send(new ListDelegationRequestsCommand({}));
  assert.deepEqual(listed.DelegationRequests ?? [], []);
  assert.equal(listed.isTruncated, false);
  await rejects(nobody.send(new ListDelegationRequestsCommand({})), 'AccessDenied', denied('ListDelegationRequests'), 403);

  const requestArn = `arn:aws:iam::${ACCOUNT}:delegation-request/${DelegationRequestId}`;
  await rejects(admin.send(new GetHumanReadableSummaryCommand({ EntityArn: requestArn })), 'NoSuchEntityException', `The delegation request with ID ${DelegationRequestId} does not exist.`, 404);
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/some-role`;
  await rejects(
    admin.send(new GetHumanReadableSummaryCommand({ EntityArn: roleArn })),
    'InvalidInputException',
    `Entity ${roleArn} is not supported: the only supported entity type is delegation-request.`,
    400,
  );
  await rejects(nobody.send(new GetHumanReadableSummaryCommand({ EntityArn: requestArn })), 'AccessDenied', denied('GetHumanReadableSummary'), 403);
});

const DISABLED_TEXT = 'The request failed because outbound identity federation is already disabled for your Amazon Web Services account. You cannot disable the feature multiple times.';

test('outbound web identity federation: off until enabled, one issuer per account kept across a disable, each switch once', async () => {
  const { iam } = await freshAccount(server);
  const info = () => iam.send(new GetOutboundWebIdentityFederationInfoCommand({}));
  await rejects(info(), 'FeatureDisabledException', 'Outbound identity federation is not enabled for your Amazon Web Services account.', 404);
  await rejects(iam.send(new DisableOutboundWebIdentityFederationCommand({})), 'FeatureDisabledException', DISABLED_TEXT, 404);

  const { IssuerIdentifier } = await iam.send(new EnableOutboundWebIdentityFederationCommand({}));
  assert.match(IssuerIdentifier ?? '', /^https:\/\/[0-9a-f-]{36}\.tokens\.sts\.global\.api\.aws$/);
  assert.deepEqual({ ...(await info()), $metadata: undefined }, { IssuerIdentifier, JwtVendingEnabled: true, $metadata: undefined });
  await rejects(iam.send(new EnableOutboundWebIdentityFederationCommand({})), 'FeatureEnabledException', /^The request failed because outbound identity federation is already enabled /, 409);

  await iam.send(new DisableOutboundWebIdentityFederationCommand({}));
  await rejects(info(), 'FeatureDisabledException', undefined, 404);
  await rejects(iam.send(new DisableOutboundWebIdentityFederationCommand({})), 'FeatureDisabledException', DISABLED_TEXT, 404);
  assert.equal((await iam.send(new EnableOutboundWebIdentityFederationCommand({}))).IssuerIdentifier, IssuerIdentifier);

  // Another account's switch is its own.
  await rejects(admin.send(new GetOutboundWebIdentityFederationInfoCommand({})), 'FeatureDisabledException', undefined, 404);
});

test('outbound web identity federation asks its permissions', async () => {
  await rejects(nobody.send(new EnableOutboundWebIdentityFederationCommand({})), 'AccessDenied', denied('EnableOutboundWebIdentityFederation'), 403);
  await rejects(nobody.send(new DisableOutboundWebIdentityFederationCommand({})), 'AccessDenied', denied('DisableOutboundWebIdentityFederation'), 403);
  await rejects(nobody.send(new GetOutboundWebIdentityFederationInfoCommand({})), 'AccessDenied', denied('GetOutboundWebIdentityFederationInfo'), 403);
});
