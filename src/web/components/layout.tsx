import { useEffect, useState, type ReactNode } from 'react';
import { useScreenHeading } from '../lib/screen-heading.ts';
import { api } from '../api/client.ts';
import { clearSession } from '../api/session.ts';
import { AccountSwitcher } from '../features/auth/account-switcher.tsx';
import { useMe } from '../features/auth/use-me.ts';
import { Link, navigate, useLocation } from '../lib/router.tsx';

const NAV = [
  { to: '/', label: 'Connectors', match: (p: string) => p === '/' || p.startsWith('/connectors') || p.startsWith('/connections') },
  { to: '/settings/data-sources', label: 'Data Sources', match: (p: string) => p.startsWith('/settings/data-sources') },
  { to: '/settings/lrs-keys', label: 'LRS Keys', match: (p: string) => p.startsWith('/settings/lrs-keys') },
  { to: '/settings/xapi-export', label: 'xAPI Export', match: (p: string) => p.startsWith('/settings/xapi-export') },
  { to: '/users', label: 'Users', match: (p: string) => p.startsWith('/users') },
  { to: '/reports', label: 'Reports', match: (p: string) => p.startsWith('/reports') },
  { to: '/trainings', label: 'Trainings', match: (p: string) => p.startsWith('/trainings') },
  { to: '/notifications', label: 'Notifications', match: (p: string) => p.startsWith('/notifications') },
  { to: '/applications', label: 'Applications', match: (p: string) => p.startsWith('/applications') || p.startsWith('/developer') },
];

/** The signed-in frame: header with navigation, account switcher and sign-out; the screen below. */
export function Layout({ children, onSessionChange }: { children: ReactNode; onSessionChange(): void }) {
  const me = useMe();
  const { path } = useLocation();
  useScreenHeading(path);
  // Phone width: the navigation and the account sit behind a Menu button, closed again on each new screen.
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [path]);
  const signOut = async () => {
    // The server revokes the session token (a copy of it stops working too); then the browser forgets it.
    await api.post('/api/v1/auth/sign-out').catch(() => undefined);
    clearSession();
    onSessionChange();
    navigate('/sign-in', { replace: true });
  };
  return (
    <div className="shell">
      <a href="#main" className="skip">Skip to content</a>
      <header className={menuOpen ? 'top open' : 'top'}>
        <Link to="/" className="brand">lmc <span>Integration Admin</span></Link>
        <button type="button" className="menu-button" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen((o) => !o)}>Menu</button>
        <nav aria-label="Main" id="main-nav">
          <ul>
            {NAV.map((n) => (
              <li key={n.to}>
                <Link to={n.to} aria-current={n.match(path) ? 'page' : undefined}>{n.label}</Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <AccountSwitcher onSwitched={onSessionChange} />
          <span className="muted">{me.email} · {me.accountName}</span>
          <Link to="/account/password">Change password</Link>
          <button type="button" onClick={() => void signOut()}>Sign out</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>{children}</main>
    </div>
  );
}
