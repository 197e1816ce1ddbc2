// The console's shell: sign-in until there is a session, then the navigation and the page the URL
// names. Every page reads through the public AWS APIs with the session's credentials.

import { render, type VNode } from 'preact';
import { useState } from 'preact/hooks';
import { clearNotifications, Notifications } from './notifications.tsx';
import { Dashboard } from './pages/dashboard.tsx';
import { CreateRole } from './pages/create-role.tsx';
import { Events } from './pages/events.tsx';
import { GroupPage, Groups } from './pages/groups.tsx';
import { LinkedServices } from './pages/linked.tsx';
import { Policies, PolicyPage } from './pages/policies.tsx';
import { RolePage } from './pages/role.tsx';
import { Roles } from './pages/roles.tsx';
import { SignIn } from './pages/sign-in.tsx';
import { Simulator } from './pages/simulator.tsx';
import { UserPage, Users } from './pages/users.tsx';
import { WhoCan } from './pages/who-can.tsx';
import { clearSession, loadSession, type Session } from './session.ts';
import { href, useRoute } from './ui/router.ts';

const NAV: [string, string][] = [
  ['', 'Dashboard'],
  ['roles', 'Roles'],
  ['users', 'Users'],
  ['groups', 'User groups'],
  ['policies', 'Policies'],
  ['linked', 'Linked services'],
  ['events', 'Event history'],
  ['simulator', 'Policy simulator'],
  ['who-can', 'Who can reach'],
];

function Page({ route }: { route: string[] }): VNode {
  const [section, name, tab] = route;
  switch (section) {
    case undefined:
      return <Dashboard />;
    case 'roles':
      return name ? <RolePage name={name} tab={tab ?? 'permissions'} /> : <Roles />;
    case 'create-role':
      return <CreateRole />;
    case 'users':
      return name ? <UserPage name={name} tab={tab ?? 'permissions'} /> : <Users />;
    case 'groups':
      return name ? <GroupPage name={name} /> : <Groups />;
    case 'policies':
      return name ? <PolicyPage arn={name} /> : <Policies />;
    case 'linked':
      return <LinkedServices focus={name} />;
    case 'events':
      return <Events />;
    case 'simulator':
      return <Simulator />;
    case 'who-can':
      return <WhoCan />;
    default:
      return (
        <div class="error" role="alert">
          No such page: {route.join('/')}
        </div>
      );
  }
}

function App(): VNode {
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const route = useRoute();
  if (!session) return <SignIn onSignedIn={setSession} />;
  const signOut = () => {
    clearSession();
    clearNotifications();
    setSession(undefined);
    location.hash = '';
  };
  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">iamd console</span>
        <span class="identity" title={session.arn}>
          {session.arn} · {session.region}
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <nav class="side" aria-label="Pages">
        {NAV.map(([id, title]) => (
          <a href={href(...(id ? [id] : []))} class={(route[0] ?? '') === id || (id === 'roles' && route[0] === 'create-role') ? 'active' : ''}>
            {title}
          </a>
        ))}
      </nav>
      <main id="main" tabIndex={-1}>
        <Notifications />
        <Page route={route} />
      </main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
