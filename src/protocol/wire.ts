// How each service speaks, as its descriptor (src/services/<name>/) declares it: written beside the
// models by scripts/generate-models.ts into models/services.json, so this layer knows every service
// without importing one. The order is the registry's.

import { readFileSync } from 'node:fs';

/** How a service words input validation errors (query-protocol.md § 4.4; validate.ts applies it). */
export interface ValidationStyle {
  code: string;
  /** STS, Logs, … quote the value (`Value 'x' at 'roleSessionName'`); IAM does not. */
  quoteValue: boolean;
  /** IAM says only "Member must satisfy enum value set"; most services list the values. */
  listEnumValues: boolean;
  /** EC2 reports the first problem only, by wire parameter name. */
  ec2: boolean;
  /**
   * Shapes whose violations the service reports with an error of their own rather than `code`
   * (CloudTrail: MaxResults → InvalidMaxResultsException); the first violation decides.
   */
  codeByShape?: Readonly<Record<string, string>>;
}

export type WireProtocol = 'query' | 'ec2' | 'json' | 'rest-json';

export interface ServiceWire {
  /** The protocol its SDKs speak. */
  protocol: WireProtocol;
  /** Older SDKs send awsQuery form bodies to it too (CloudWatch), answered in XML. */
  acceptsQuery?: boolean;
  /** The wording of its input validation errors. */
  validation: ValidationStyle;
  /** CloudTrail's name for it in resource types: `AWS::<auditTitle>::<Type>`. */
  auditTitle: string;
  /** Shapes whose output values are percent-encoded (IAM's policy documents). */
  urlEncodedOutputShapes?: readonly string[];
  /** Unsigned requests under this path are its own (restJson1 services, e.g. MQ's `/v1/`). */
  pathPrefix?: string;
  /** Its IAM service prefix (`access-analyzer:…`), where that is not its model name. */
  actionPrefix?: string;
}

export type ServiceName = string;

// Read on first use, not at import: the generator imports the services before it writes the table.
let loaded: Record<ServiceName, ServiceWire> | undefined;
const table = (): Record<ServiceName, ServiceWire> =>
  (loaded ??= JSON.parse(readFileSync(new URL('./models/services.json', import.meta.url), 'utf8')) as Record<ServiceName, ServiceWire>);

/** Every service iamd speaks, in the registry's order. */
export const serviceNames = (): readonly ServiceName[] => Object.keys(table());

export function serviceWire(name: ServiceName): ServiceWire {
  const wire = table()[name];
  if (!wire) throw new Error(`no service ${name} in the wire table (npm run gen:models)`);
  return wire;
}

/** CloudTrail's name for an ARN's service (`iam` → `IAM`), when it is one iamd speaks. */
export const auditTitleOf = (arnService: string): string | undefined => table()[arnService]?.auditTitle;

/** The IAM service prefix of a service's actions — its namespace in Access Advisor's data. */
export const actionPrefixOf = (service: ServiceName): string => table()[service]?.actionPrefix ?? service;
