// The global condition keys AWS puts in every request context, derived from who calls and how.
// Operation-specific keys (iam:AWSServiceName, aws:RequestTag/…) come from the operation's AuthzCheck
// and are laid over these.

import type { CallContext, Caller } from '../common/call.ts';
import type { ContextValues } from '../policy/types.ts';

const PRINCIPAL_TYPE: Record<string, string> = {
  root: 'Account',
  user: 'User',
  'assumed-role': 'AssumedRole',
  'federated-user': 'FederatedUser',
  service: 'Service',
  anonymous: 'Anonymous',
};

/** `aws:PrincipalArn`: for a role session it is the role's ARN, not the session's. */
export function principalArnOf(caller: Caller): string {
  return caller.session?.roleArn ?? caller.principal.arn;
}

// aws:CurrentTime and aws:EpochTime change once a second; every request of that second shares the text.
let clockSecond = -1;
let currentTime = '';
let epochTime = '';
function clock(now: Date): void {
  const second = Math.floor(now.getTime() / 1000);
  if (second === clockSecond) return;
  clockSecond = second;
  currentTime = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  epochTime = String(second);
}

export function globalContext(ctx: CallContext): ContextValues {
  clock(ctx.now);
  const { caller } = ctx;
  const keys: ContextValues = {
    'aws:principalarn': principalArnOf(caller),
    'aws:principalaccount': caller.account,
    'aws:principaltype': PRINCIPAL_TYPE[caller.principal.kind] ?? 'Unknown',
    'aws:userid': caller.userId,
    'aws:currenttime': currentTime,
    'aws:epochtime': epochTime,
    'aws:sourceip': ctx.sourceIp,
    'aws:securetransport': ctx.secureTransport ? 'true' : 'false',
    'aws:requestedregion': ctx.region,
    'aws:principalisawsservice': caller.principal.kind === 'service' ? 'true' : 'false',
    'aws:viaawsservice': 'false',
  };
  if (caller.userName !== undefined) keys['aws:username'] = caller.userName;
  for (const [key, value] of Object.entries(caller.tags)) keys[`aws:principaltag/${key.toLowerCase()}`] = value;
  // Present for temporary credentials only (long-term keys carry no MFA information), true when their
  // holder proved an MFA code; the age counts from that moment.
  if (caller.session || caller.sessionToken) keys['aws:multifactorauthpresent'] = caller.mfaAuthenticatedAt === undefined ? 'false' : 'true';
  if (caller.mfaAuthenticatedAt !== undefined) {
    keys['aws:multifactorauthpresent'] = 'true';
    keys['aws:multifactorauthage'] = String(Math.max(0, Math.floor((ctx.now.getTime() - caller.mfaAuthenticatedAt) / 1000)));
  }
  const session = caller.session;
  if (session) {
    if (session.sourceIdentity !== undefined) keys['aws:sourceidentity'] = session.sourceIdentity;
    keys['aws:tokenissuetime'] = new Date(session.issuedAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
    if (session.context) Object.assign(keys, session.context);
  }
  return keys;
}
