// Signing in: an access key pair (and a session token for temporary credentials), checked with STS
// GetCallerIdentity before anything is kept. A refused key shows STS's own error.

import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import { callerIdentity } from '../aws/iam.ts';
import { saveSession, type Session } from '../session.ts';
import { ErrorBox } from '../ui/components.tsx';
import { useCredentials } from '../aws/client.ts';

export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }): VNode {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const field = (name: string) => String(form.get(name) ?? '').trim();
    const credentials = {
      accessKeyId: field('accessKeyId'),
      secretAccessKey: field('secretAccessKey'),
      ...(field('sessionToken') ? { sessionToken: field('sessionToken') } : {}),
    };
    const region = field('region') || 'us-east-1';
    setBusy(true);
    setError(undefined);
    try {
      useCredentials(credentials, region);
      const who = await callerIdentity();
      const session: Session = { credentials, region, arn: who.Arn, account: who.Account };
      saveSession(session);
      onSignedIn(session);
    } catch (err) {
      useCredentials(undefined);
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to iamd</h1>
        <p class="hint">With an access key of an IAM user or the account's root, or temporary credentials. They are kept in this tab only.</p>
        <label>
          Access key ID
          <input name="accessKeyId" autoComplete="username" required autoFocus />
        </label>
        <label>
          Secret access key
          <input name="secretAccessKey" type="password" autoComplete="current-password" required />
        </label>
        <label>
          Session token <span class="hint">(temporary credentials only)</span>
          <input name="sessionToken" type="password" autoComplete="off" />
        </label>
        <label>
          Region
          <input name="region" defaultValue="us-east-1" />
        </label>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error !== undefined && <ErrorBox error={error} />}
      </form>
    </main>
  );
}
