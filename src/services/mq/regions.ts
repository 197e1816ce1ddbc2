// Where Amazon MQ's service-linked role is supported: the table of AWS's "Using service-linked roles
// for Amazon MQ" page (Amazon MQ Developer Guide, § "Supported regions for Amazon MQ service-linked
// roles"). It lists sixteen regions with "Yes" and AWS GovCloud (US) `us-gov-west-1` with "No".
// iamd's Amazon MQ serves exactly the "Yes" regions.

export const MQ_SLR_REGIONS: ReadonlySet<string> = new Set([
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'ap-south-1', 'ap-northeast-3', 'ap-northeast-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1',
  'ca-central-1',
  'eu-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3',
  'sa-east-1',
]);

export const isMqRegion = (region: string): boolean => MQ_SLR_REGIONS.has(region);
