// The simulator's refusals. AWS models only InvalidInput (400) and NoSuchEntity (404) for these
// operations; where a text was seen in a public AWS answer it is quoted as such, the others are iamd's
// (docs/analysis.md, "Policy simulator", lists which is which).

import { ApiError } from '../../common/errors.ts';

export const invalidInput = (message: string) => new ApiError('InvalidInput', message, 400);

/** Reported from AWS (newrelic-lambda-cli#96) for a PolicySourceArn that names no user, group or role. */
export const invalidEntityArn = (arn: string) => invalidInput(`Invalid Entity Arn: ${arn}`);

/** Reported from AWS (boto/botocore#1346), wording and all. */
export const invalidResourceOwner = (owner: string) => invalidInput(`'${owner}' is not a valid as a Resource Owner.`);
