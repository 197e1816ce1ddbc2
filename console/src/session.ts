// Who is signed in: credentials in the tab's sessionStorage only (gone with the tab, never written to
// disk by the console, never sent anywhere but as SigV4 signatures), cleared by signing out.

import { useCredentials, type Credentials } from './aws/client.ts';
import { forgetRoleIndex } from './aws/role-index.ts';

export interface Session {
  credentials: Credentials;
  region: string;
  /** The caller's ARN, as STS GetCallerIdentity named it at sign-in. */
  arn: string;
  account: string;
}

const KEY = 'iamd-console-session';

export function loadSession(): Session | undefined {
  const text = sessionStorage.getItem(KEY);
  if (!text) return undefined;
  try {
    const session = JSON.parse(text) as Session;
    useCredentials(session.credentials, session.region);
    return session;
  } catch {
    sessionStorage.removeItem(KEY);
    return undefined;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
  useCredentials(session.credentials, session.region);
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
  useCredentials(undefined);
  forgetRoleIndex();
}
