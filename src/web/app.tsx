import { useEffect, useRef, useState, type ReactNode } from 'react';
import { api } from './api/client.ts';
import { loadSession } from './api/session.ts';
import { ErrorBoundary } from './components/error-boundary.tsx';
import { ErrorMessage, RETRY_EVENT } from './components/error-message.tsx';
import { Layout } from './components/layout.tsx';
import { SignInPage } from './features/auth/sign-in-page.tsx';
import { MeContext, type Me } from './features/auth/use-me.ts';
import { ConnectorsHome } from './features/connectors/connectors-home.tsx';
import { ConnectPage } from './features/connectors/connect-page.tsx';
import { GettingStartedPage } from './features/connectors/getting-started-page.tsx';
import { ManageConnectionsPage } from './features/connectors/manage-connections-page.tsx';
import { ConnectionPage } from './features/connections/connection-page.tsx';
import { DataSourcesPage } from './features/settings/data-sources-page.tsx';
import { ActiveFieldsPage } from './features/users/active-fields-page.tsx';
import { ReportsPage } from './features/reports/reports-page.tsx';
import { LrsKeysPage } from './features/lrs/lrs-keys-page.tsx';
import { XapiExportPage } from './features/xapi-export/xapi-export-page.tsx';
import { UsersPage } from './features/users/users-page.tsx';
import { ImportLogPage } from './features/users/import-log-page.tsx';
import { TrainingsPage } from './features/trainings/trainings-page.tsx';
import { NotificationsPage } from './features/notifications/notifications-page.tsx';
import { ApplicationsPage } from './features/applications/applications-page.tsx';
import { AccessTokensPage } from './features/applications/access-tokens-page.tsx';
import { ConsentPage } from './features/applications/consent-page.tsx';
import { ChangePasswordPage } from './features/account/change-password-page.tsx';
import { match, navigate, useLocation } from './lib/router.tsx';

/** The screens by path; the first match wins. */
const ROUTES: Array<{ pattern: string; render(p: Record<string, string>, q: URLSearchParams): ReactNode }> = [
  { pattern: '/', render: () => <ConnectorsHome /> },
  { pattern: '/connectors/:id/getting-started', render: (p) => <GettingStartedPage connectorId={p.id} /> },
  { pattern: '/connectors/:id/connect', render: (p) => <ConnectPage connectorId={p.id} /> },
  { pattern: '/connectors/:id/connections', render: (p) => <ManageConnectionsPage connectorId={p.id} /> },
  { pattern: '/connections/:id/:pane?', render: (p, q) => <ConnectionPage connectionId={Number(p.id)} pane={p.pane ?? 'configure'} action={q.get('action') ?? undefined} /> },
  { pattern: '/settings/data-sources', render: () => <DataSourcesPage /> },
  { pattern: '/users/active-fields', render: () => <ActiveFieldsPage /> },
  { pattern: '/reports', render: () => <ReportsPage /> },
  { pattern: '/settings/lrs-keys', render: () => <LrsKeysPage /> },
  { pattern: '/settings/xapi-export', render: () => <XapiExportPage /> },
  { pattern: '/users/import-log', render: () => <ImportLogPage /> },
  { pattern: '/users', render: () => <UsersPage /> },
  { pattern: '/trainings', render: () => <TrainingsPage /> },
  { pattern: '/notifications', render: () => <NotificationsPage /> },
  { pattern: '/applications', render: () => <ApplicationsPage /> },
  { pattern: '/developer/access-tokens', render: (_p, q) => <AccessTokensPage query={q} /> },
  { pattern: '/oauth/authorize', render: (_p, q) => <ConsentPage query={q} /> },
  { pattern: '/account/password', render: () => <ChangePasswordPage /> },
];

function Screen() {
  const { path, query } = useLocation();
  for (const r of ROUTES) {
    const m = match(r.pattern, path);
    if (m) return <>{r.render(m, query)}</>;
  }
  return (
    <section>
      <h1>Not found</h1>
      <p>No screen at {path}.</p>
    </section>
  );
}

/** The app: sign-in until a session exists, then the signed-in shell with the user from /me. */
export function App() {
  const loc = useLocation();
  const [version, setVersion] = useState(0);
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<Error>();
  const errorRef = useRef<Error>(undefined);
  errorRef.current = error;
  const session = loadSession();

  useEffect(() => {
    const out = () => setVersion((v) => v + 1);
    window.addEventListener('lmc:signed-out', out);
    // "Try again" after the server could not be reached asks for the signed-in user again.
    const retry = () => { if (errorRef.current) setVersion((v) => v + 1); };
    window.addEventListener(RETRY_EVENT, retry);
    return () => {
      window.removeEventListener('lmc:signed-out', out);
      window.removeEventListener(RETRY_EVENT, retry);
    };
  }, []);

  useEffect(() => {
    setMe(null);
    setError(undefined);
    if (!loadSession()) return;
    api.get('/api/v1/me').then(setMe, (e: Error) => setError(e));
  }, [version]);

  if (!session) {
    if (loc.path !== '/sign-in') {
      const back = loc.path === '/' ? '' : `?next=${encodeURIComponent(loc.path + location.search)}`;
      queueMicrotask(() => navigate(`/sign-in${back}`, { replace: true }));
    }
    return (
      <SignInPage
        onSignedIn={() => {
          setVersion((v) => v + 1);
          // Read the address bar, not `loc`: the redirect to /sign-in?next=... happened in a microtask before
          // useLocation listened, so `loc` may still be the first path. Only a path on this site is followed.
          const next = new URLSearchParams(location.search).get('next');
          navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
        }}
      />
    );
  }
  if (loc.path === '/sign-in') queueMicrotask(() => navigate('/', { replace: true }));
  if (error) {
    // The frame stays (brand, a way to sign out) around the error and its Try again.
    return (
      <div className="shell">
        <header className="top"><span className="brand">lmc <span>Integration Admin</span></span></header>
        <main id="main" tabIndex={-1}>
          <h1>lmc is not available right now</h1>
          <ErrorMessage error={error} />
        </main>
      </div>
    );
  }
  if (!me) return <p className="muted" aria-live="polite">Loading…</p>;
  return (
    <MeContext.Provider value={me}>
      <Layout onSessionChange={() => setVersion((v) => v + 1)}>
        <ErrorBoundary resetKey={loc.path}>
          <Screen />
        </ErrorBoundary>
      </Layout>
    </MeContext.Provider>
  );
}
