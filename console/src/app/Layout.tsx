import type { ReactNode } from 'react';
import { Button } from '../ui';
import { can, useAuth } from './auth';
import { Link, useLocation } from './router';
import { QuotaBanner } from './QuotaBanner';

const NAV = [
  { to: '/flows', label: 'Flows' },
  { to: '/inbox', label: 'Inbox' },
  { to: '/runs', label: 'Runs' },
  { to: '/knowledge', label: 'Knowledge' },
  { to: '/appointments', label: 'Appointments' },
  { to: '/contacts', label: 'Contacts' },
  { to: '/segments', label: 'Segments' },
  { to: '/campaigns', label: 'Campaigns' },
  { to: '/content', label: 'Content' },
  { to: '/analytics', label: 'Analytics' },
  { to: '/webhooks', label: 'Webhooks', adminOnly: true },
  { to: '/settings', label: 'Settings', adminOnly: true },
  { to: '/alerts', label: 'Alerts', adminOnly: true },
  { to: '/usage', label: 'Usage' },
  { to: '/intents', label: 'Intents' },
  { to: '/videos', label: 'Videos' },
  { to: '/avatars', label: 'Avatars' },
  { to: '/menu', label: 'Menu' },
  { to: '/presence', label: 'Presence' },
  { to: '/assistant', label: 'Assistant' },
];

export function Layout({ children }: { children: ReactNode }) {
  const { user, tenant, signOut } = useAuth();
  const { path } = useLocation();
  return (
    <div className="shell">
      <a className="skip-link" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        Skip to content
      </a>
      <nav className="shell-nav" aria-label="Main">
        <div className="shell-brand">Switchboard</div>
        <ul>
          {NAV.filter((n) => !n.adminOnly || can.administer(user?.role)).map((n) => {
            const active = path === n.to || path.startsWith(`${n.to}/`);
            return (
              <li key={n.to}>
                <Link to={n.to} aria-current={active ? 'page' : undefined} className={active ? 'active' : undefined}>
                  {n.label}
                </Link>
              </li>
            );
          })}
        </ul>
        <div className="shell-user">
          <div className="shell-user-name" title={user?.email}>
            {user?.name || user?.email}
          </div>
          {/* The slug is what sign-in asks for when an email belongs to several workspaces. */}
          <div className="shell-user-meta" title={tenant ? `workspace: ${tenant.slug}` : undefined}>
            {tenant?.name} · {user?.role}
          </div>
          <Button variant="ghost" size="sm" className="shell-signout" onClick={() => void signOut()}>
            Sign out
          </Button>
        </div>
      </nav>
      <main id="main" className="shell-main" tabIndex={-1}>
        <QuotaBanner />
        {children}
      </main>
    </div>
  );
}
