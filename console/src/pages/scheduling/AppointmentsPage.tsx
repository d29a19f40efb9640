/**
 * Appointments: the calendar (day/week, drag to reschedule), the booking list, the catalogue
 * editors with a slot preview, the analytics charts and, for admins, the public booking page
 * setting; one tab each (`#/appointments/:section`).
 */
import { lazy, Suspense } from 'react';
import { can, useAuth } from '../../app/auth';
import { matchPath, navigate, useLocation } from '../../app/router';
import { Panel, Spinner, Tabs } from '../../ui';
import { BookingList } from './BookingList';
import { BookingPageSection } from './BookingPageSection';
import { CalendarView } from './CalendarView';
import { CatalogEditors } from './CatalogEditors';
import '../pages.css';
import './scheduling.css';

// The charts library is most of this page's weight: it downloads when the Analytics tab opens.
const AnalyticsView = lazy(() => import('./AnalyticsView').then((m) => ({ default: m.AnalyticsView })));

const SECTIONS = [
  { id: 'calendar', label: 'Calendar', render: () => <CalendarView /> },
  { id: 'bookings', label: 'Bookings', render: () => <BookingList /> },
  { id: 'catalog', label: 'Services and hours', render: () => <CatalogEditors /> },
  { id: 'analytics', label: 'Analytics', render: () => (
      <Suspense fallback={<Spinner label="Loading analytics" />}>
        <AnalyticsView />
      </Suspense>
    ) },
  { id: 'booking-page', label: 'Booking page', adminOnly: true, render: () => <BookingPageSection /> },
];

export function AppointmentsPage() {
  const { user } = useAuth();
  const { path } = useLocation();
  const visible = SECTIONS.filter((s) => !s.adminOnly || can.administer(user?.role));
  const section = matchPath('/appointments/:section', path)?.section ?? 'calendar';
  const active = visible.some((s) => s.id === section) ? section : 'calendar';
  return (
    <div className="page">
      <div className="page-head">
        <h1>Appointments</h1>
      </div>
      <Panel>
        <Tabs
          label="Appointments"
          active={active}
          onChange={(id) => navigate(`/appointments/${id}`, { replace: true })}
          tabs={visible.map((s) => ({ id: s.id, label: s.label, content: s.id === active ? s.render() : null }))}
        />
      </Panel>
    </div>
  );
}
