/**
 * Route table. Pages load on demand (React.lazy), so a route downloads only its own code: the
 * builder's React Flow does not slow down the inbox, and the other way around.
 */
import { lazy, Suspense, useEffect, type ComponentType, type ReactNode } from 'react';
import { EmptyState, Spinner, Toasts } from '../ui';
import { AuthProvider, can, useAuth, type Role } from './auth';
import { ErrorBoundary } from './ErrorBoundary';
import { Layout } from './Layout';
import { matchPath, navigate, resolveRoute, useLocation, type RouteDef } from './router';
import './app.css';

/** A lazy page whose code can also be fetched ahead (`preload`), e.g. while the session loads. */
const named = <K extends string>(load: () => Promise<Record<K, ComponentType<any>>>, name: K) => {
  let pending: ReturnType<typeof load> | undefined;
  const fetchModule = () => (pending ??= load());
  return Object.assign(
    lazy(() => fetchModule().then((m) => ({ default: m[name] }))),
    { preload: () => void fetchModule().catch(() => (pending = undefined)) },
  );
};

const LoginPage = named(() => import('../pages/LoginPage'), 'LoginPage');
const InboxPage = named(() => import('../pages/InboxPage'), 'InboxPage');
const RunsPage = named(() => import('../pages/RunsPage'), 'RunsPage');
const RunPage = named(() => import('../pages/RunPage'), 'RunPage');
const KnowledgePage = named(() => import('../pages/KnowledgePage'), 'KnowledgePage');
const SettingsPage = named(() => import('../pages/SettingsPage'), 'SettingsPage');
const WebhooksPage = named(() => import('../pages/WebhooksPage'), 'WebhooksPage');
const ContentPage = named(() => import('../pages/ContentPage'), 'ContentPage');
const AppointmentsPage = named(() => import('../pages/scheduling/AppointmentsPage'), 'AppointmentsPage');
const AnalyticsPage = named(() => import('../pages/analytics/AnalyticsPage'), 'AnalyticsPage');
const ContactsPage = named(() => import('../pages/audiences/ContactsPage'), 'ContactsPage');
const SegmentsPage = named(() => import('../pages/audiences/SegmentsPage'), 'SegmentsPage');
const CampaignsPage = named(() => import('../pages/campaigns/CampaignsPage'), 'CampaignsPage');
const CampaignPage = named(() => import('../pages/campaigns/CampaignPage'), 'CampaignPage');
const CampaignWizard = named(() => import('../pages/campaigns/CampaignWizard'), 'CampaignWizard');
const AvatarsPage = named(() => import('../pages/videos/AvatarsPage'), 'AvatarsPage');
const RendersPage = named(() => import('../pages/videos/RendersPage'), 'RendersPage');
const RenderPage = named(() => import('../pages/videos/RenderPage'), 'RenderPage');
const FlowListPage = named(() => import('../builder/FlowListPage'), 'FlowListPage');
const IntentsPage = named(() => import('../pages/intents/IntentsPage'), 'IntentsPage');
const FlowEditorPage = named(() => import('../builder/FlowEditorPage'), 'FlowEditorPage');
const AlertsPage = named(() => import('../pages/alerts/AlertsPage'), 'AlertsPage');
const UsagePage = named(() => import('../pages/usage/UsagePage'), 'UsagePage');
const AssistantPage = named(() => import('../pages/assistant/AssistantPage'), 'AssistantPage');
const MenuPage = named(() => import('../pages/menu/MenuPage'), 'MenuPage');
const PresencePage = named(() => import('../pages/presence/PresencePage'), 'PresencePage');
const PresenceReportPage = named(() => import('../pages/presence/ReportPage'), 'ReportPage');

const adminOnly = (role: Role | undefined, page: ReactNode) =>
  can.administer(role) ? page : <EmptyState title="Admins only">Ask an admin of your workspace for access.</EmptyState>;

const ROUTES: RouteDef<{ role?: Role }>[] = [
  { pattern: '/flows', preload: FlowListPage.preload, render: () => <FlowListPage /> },
  { pattern: '/flows/:flowId', preload: FlowEditorPage.preload, render: (p) => <FlowEditorPage key={p.flowId} flowId={p.flowId} /> },
  { pattern: '/inbox', preload: InboxPage.preload, render: () => <InboxPage /> },
  { pattern: '/inbox/:conversationId', preload: InboxPage.preload, render: () => <InboxPage /> },
  { pattern: '/runs', preload: RunsPage.preload, render: () => <RunsPage /> },
  { pattern: '/runs/:runId', preload: RunPage.preload, render: (p) => <RunPage key={p.runId} runId={p.runId} /> },
  { pattern: '/knowledge', preload: KnowledgePage.preload, render: () => <KnowledgePage /> },
  { pattern: '/knowledge/:knowledgeBaseId', preload: KnowledgePage.preload, render: () => <KnowledgePage /> },
  { pattern: '/appointments', preload: AppointmentsPage.preload, render: () => <AppointmentsPage /> },
  { pattern: '/appointments/:section', preload: AppointmentsPage.preload, render: () => <AppointmentsPage /> },
  { pattern: '/analytics', preload: AnalyticsPage.preload, render: () => <AnalyticsPage /> },
  { pattern: '/content', preload: ContentPage.preload, render: () => <ContentPage /> },
  { pattern: '/content/:section', preload: ContentPage.preload, render: () => <ContentPage /> },
  { pattern: '/contacts', preload: ContactsPage.preload, render: () => <ContactsPage /> },
  { pattern: '/segments', preload: SegmentsPage.preload, render: () => <SegmentsPage /> },
  { pattern: '/campaigns', preload: CampaignsPage.preload, render: () => <CampaignsPage /> },
  { pattern: '/campaigns/calendar', preload: CampaignsPage.preload, render: () => <CampaignsPage /> },
  { pattern: '/campaigns/approvals', preload: CampaignsPage.preload, render: () => <CampaignsPage /> },
  { pattern: '/campaigns/new', preload: CampaignWizard.preload, render: () => <CampaignWizard /> },
  { pattern: '/campaigns/:campaignId', preload: CampaignPage.preload, render: (p) => <CampaignPage key={p.campaignId} campaignId={p.campaignId} /> },
  { pattern: '/campaigns/:campaignId/edit', preload: CampaignWizard.preload, render: (p) => <CampaignWizard key={p.campaignId} campaignId={p.campaignId} /> },
  { pattern: '/webhooks', preload: WebhooksPage.preload, render: (_p, { role }) => adminOnly(role, <WebhooksPage />) },
  { pattern: '/settings', render: (_p, { role }) => adminOnly(role, <SettingsPage />) },
  { pattern: '/settings/:section', render: (_p, { role }) => adminOnly(role, <SettingsPage />) },
  { pattern: '/analytics/:section', preload: AnalyticsPage.preload, render: () => <AnalyticsPage /> },
  { pattern: '/alerts', preload: AlertsPage.preload, render: (_p, { role }) => adminOnly(role, <AlertsPage />) },
  { pattern: '/usage', preload: UsagePage.preload, render: () => <UsagePage /> },
  { pattern: '/intents', preload: IntentsPage.preload, render: () => <IntentsPage /> },
  { pattern: '/avatars', preload: AvatarsPage.preload, render: () => <AvatarsPage /> },
  { pattern: '/videos', preload: RendersPage.preload, render: () => <RendersPage /> },
  { pattern: '/videos/new', preload: RenderPage.preload, render: () => <RenderPage /> },
  { pattern: '/presence', preload: PresencePage.preload, render: () => <PresencePage /> },
  { pattern: '/presence/:auditId', preload: PresenceReportPage.preload, render: (p) => <PresenceReportPage key={p.auditId} auditId={p.auditId} /> },
  { pattern: '/videos/:renderId', preload: RenderPage.preload, render: (p) => <RenderPage key={p.renderId} renderId={p.renderId} /> },
  { pattern: '/assistant', preload: AssistantPage.preload, render: () => <AssistantPage /> },
  { pattern: '/menu', preload: MenuPage.preload, render: () => <MenuPage /> },
  { pattern: '/menu/:section', preload: MenuPage.preload, render: () => <MenuPage /> },
];

// The page a deep link opens downloads alongside GET /v1/auth/me instead of after it.
const initialPath = window.location.hash.replace(/^#/, '').split('?')[0] || '/';
ROUTES.find((r) => matchPath(r.pattern, initialPath))?.preload?.();

const Loading = () => (
  <div className="center-fill">
    <Spinner />
  </div>
);

function Screens() {
  const { status, user } = useAuth();
  const { path, query } = useLocation();
  const next = query.get('next');

  useEffect(() => {
    if (status === 'signedOut' && path !== '/login') navigate(path === '/' ? '/login' : `/login?next=${encodeURIComponent(path)}`, { replace: true });
    if (status === 'signedIn' && (path === '/' || path === '/login')) navigate(next?.startsWith('/') && next !== '/login' ? next : '/flows', { replace: true });
  }, [status, path, next]);

  if (status === 'loading') return <Loading />;
  if (status === 'signedOut')
    return (
      <Suspense fallback={<Loading />}>
        <LoginPage />
      </Suspense>
    );
  const page = resolveRoute(ROUTES, path, { role: user?.role });
  return (
    <Layout>
      <ErrorBoundary resetKey={path}>
        <Suspense fallback={<Loading />}>{page ?? <EmptyState title="Page not found">There is nothing at {path}.</EmptyState>}</Suspense>
      </ErrorBoundary>
    </Layout>
  );
}

export function App() {
  return (
    <Toasts>
      <AuthProvider>
        <Screens />
      </AuthProvider>
    </Toasts>
  );
}
