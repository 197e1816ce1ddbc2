// What IAM does for an AWS Organization — centralized root access features and the Organizations
// access report — answered as AWS answers an account in no organization: iamd's accounts are
// standalone, so there is never an organization to manage, enable features in, or report on.
//
// Each call still asks its own action first, like every other call, so a caller without the
// permission learns nothing about the account's organization.

import { ApiError } from '../../common/errors.ts';
import { check } from '../checks.ts';
import { defineOp } from './define.ts';

/** The model's documentation of OrganizationNotFoundException (the error has no status trait: 400). */
export const organizationNotFound = () =>
  new ApiError('OrganizationNotFoundException', 'The request was rejected because no organization is associated with your account.', 400);

/** The centralized root access switches: each needs an organization before it looks at anything else. */
const FEATURE_OPERATIONS = [
  'ListOrganizationsFeatures',
  'EnableOrganizationsRootCredentialsManagement',
  'DisableOrganizationsRootCredentialsManagement',
  'EnableOrganizationsRootSessions',
  'DisableOrganizationsRootSessions',
] as const;

export function organizationOperations() {
  const features = FEATURE_OPERATIONS.map((name) =>
    defineOp<Record<string, never>>(name, {
      readOnly: true,
      authorize: () => [check(name, '*')],
      async handle() {
        throw organizationNotFound();
      },
    }),
  );

  // The Service Authorization Reference names the report's entity path as its resource.
  const generateReport = defineOp<{ EntityPath: string; OrganizationsPolicyId?: string }>('GenerateOrganizationsAccessReport', {
    readOnly: true,
    authorize: (input, ctx) => [
      check('GenerateOrganizationsAccessReport', `arn:aws:iam::${ctx.account}:access-report/${input.EntityPath}`, {
        ...(input.OrganizationsPolicyId !== undefined ? { 'iam:OrganizationsPolicyId': input.OrganizationsPolicyId } : {}),
      }),
    ],
    async handle() {
      // The path names an organization (o-…/r-…); the caller's account is the management account of none.
      throw organizationNotFound();
    },
  });

  const getReport = defineOp<{ JobId: string }>('GetOrganizationsAccessReport', {
    readOnly: true,
    authorize: () => [check('GetOrganizationsAccessReport', '*')],
    async handle(input) {
      // No report can have been generated, so no job id names one.
      throw new ApiError('NoSuchEntity', `The report with job ID ${input.JobId} does not exist.`, 404);
    },
  });

  return [...features, generateReport, getReport];
}
