// IAM Access Analyzer (restJson1, SigV4 service `access-analyzer`), every operation of its model: the
// policy checks (ValidatePolicy, CheckNoNewAccess, CheckAccessNotGranted, CheckNoPublicAccess),
// analyzers with their archive rules, tags and findings for an account outside any organization,
// access previews of role trust policies, and policy generation from the event log.
// docs/analysis.md § "Access Analyzer".

import type { ServiceDescriptor } from '../descriptor.ts';
import { accessDenied } from './errors.ts';
import { iamUnusedAccessData } from './iam-usage.ts';
import { accessPreviewOperations } from './ops/access-previews.ts';
import { analyzerOperations } from './ops/analyzers.ts';
import { policyGenerationOperations } from './ops/policy-generation.ts';
import { policyCheckOperations } from './ops/policy-checks.ts';

export const service: ServiceDescriptor = {
  name: 'accessanalyzer',
  wire: {
    source: { file: 'accessanalyzer-2019-11-01' },
    protocol: 'rest-json',
    validation: { code: 'ValidationException', quoteValue: true, listEnumValues: true, ec2: false },
    auditTitle: 'AccessAnalyzer',
    actionPrefix: 'access-analyzer',
  },
  operations: (parts) => [...policyCheckOperations(), ...analyzerOperations(iamUnusedAccessData(parts.iam)), ...accessPreviewOperations(), ...policyGenerationOperations(parts.events)],
  accessDenied,
};
