// The "encoded authorization failure message" some services (EC2) attach to a denial, which
// `sts decode-authorization-message` expands for whoever may read it. AWS encrypts the message; iamd
// encodes the facts its denial text already states (who, what, on which resource, why) as base64url
// JSON, so it stays opaque to SDKs, and STS decodes it into AWS's decoded shape.

const DENIAL = /^User: (\S+) is not authorized to perform: (\S+)(?: on resource: (\S+))?(?: because | with )?(.*)$/;

export interface AuthorizationFailure {
  allowed: false;
  explicitDeny: boolean;
  principal: string;
  action: string;
  resource: string;
  reason: string;
}

/** Reads the authorizer's AccessDenied text back into its parts (undefined for any other text). */
export function parseDenial(message: string): AuthorizationFailure | undefined {
  const m = DENIAL.exec(message);
  if (!m) return undefined;
  const [, principal, action, resource = '*', reason] = m;
  return { allowed: false, explicitDeny: reason.includes('explicit deny'), principal, action, resource, reason };
}

export function encodeAuthorizationFailure(failure: AuthorizationFailure): string {
  return Buffer.from(JSON.stringify(failure)).toString('base64url');
}

export function decodeAuthorizationFailure(encoded: string): AuthorizationFailure | undefined {
  try {
    const value = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as Partial<AuthorizationFailure>;
    const valid =
      value?.allowed === false && typeof value.explicitDeny === 'boolean' &&
      typeof value.principal === 'string' && typeof value.action === 'string' && typeof value.resource === 'string';
    return valid ? (value as AuthorizationFailure) : undefined;
  } catch {
    return undefined;
  }
}

/** The account of the principal a failure is about (`arn:aws:iam::123456789012:user/x`, `arn:aws:sts::…`). */
export const failureAccount = (failure: AuthorizationFailure): string | undefined => /^arn:aws[\w-]*:(?:iam|sts)::(\d{12}):/.exec(failure.principal)?.[1];
