// IAM Access Analyzer (restJson1, SigV4 service `access-analyzer`): the policy checks
// (ValidatePolicy, CheckNoNewAccess, CheckAccessNotGranted, CheckNoPublicAccess) and analyzers for an
// account outside any organization. docs/analysis.md § "Access Analyzer".

import type { ServiceDescriptor } from '../descriptor.ts';
import { accessDenied } from './errors.ts';
import { analyzerOperations } from './ops/analyzers.ts';
import { policyCheckOperations } from './ops/policy-checks.ts';

export const service: ServiceDescriptor = {
  name: 'accessanalyzer',
  wire: {
    source: {
      file: 'accessanalyzer-2019-11-01',
      operations: [
        'ValidatePolicy', 'CheckNoNewAccess', 'CheckAccessNotGranted', 'CheckNoPublicAccess',
        'CreateAnalyzer', 'GetAnalyzer', 'ListAnalyzers', 'UpdateAnalyzer', 'DeleteAnalyzer',
        'CreateArchiveRule', 'GetArchiveRule', 'UpdateArchiveRule', 'DeleteArchiveRule', 'ListArchiveRules', 'ApplyArchiveRule',
        'TagResource', 'UntagResource', 'ListTagsForResource',
        'ListFindings', 'ListFindingsV2', 'GetFinding', 'GetFindingV2',
      ],
    },
    protocol: 'rest-json',
    validation: { code: 'ValidationException', quoteValue: true, listEnumValues: true, ec2: false },
    auditTitle: 'AccessAnalyzer',
  },
  operations: () => [...policyCheckOperations(), ...analyzerOperations()],
  accessDenied,
};
