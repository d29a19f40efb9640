/**
 * Campaigns: the list with status badges, the calendar of scheduled sends and the approval queue,
 * one tab each (`#/campaigns`, `#/campaigns/calendar`, `#/campaigns/approvals`). New campaigns
 * start in the wizard (`#/campaigns/new`).
 */
import { can, useAuth } from '../../app/auth';
import { navigate, useLocation } from '../../app/router';
import { Button, Panel, Tabs } from '../../ui';
import { ApprovalQueue } from './ApprovalQueue';
import { CampaignCalendar } from './CampaignCalendar';
import { CampaignList } from './CampaignList';
import '../pages.css';
import './campaigns.css';

const SECTIONS = [
  { id: 'list', path: '/campaigns', label: 'Campaigns', render: () => <CampaignList /> },
  { id: 'calendar', path: '/campaigns/calendar', label: 'Calendar', render: () => <CampaignCalendar /> },
  { id: 'approvals', path: '/campaigns/approvals', label: 'Approvals', render: () => <ApprovalQueue /> },
];

export function CampaignsPage() {
  const { user } = useAuth();
  const { path } = useLocation();
  const active = SECTIONS.find((s) => s.path === path)?.id ?? 'list';
  return (
    <div className="page">
      <div className="page-head">
        <h1>Campaigns</h1>
        {can.market(user?.role) && (
          <Button variant="primary" onClick={() => navigate('/campaigns/new')}>
            New campaign
          </Button>
        )}
      </div>
      <Panel>
        <Tabs
          label="Campaigns"
          active={active}
          onChange={(id) => navigate(SECTIONS.find((s) => s.id === id)!.path, { replace: true })}
          tabs={SECTIONS.map((s) => ({ id: s.id, label: s.label, content: s.id === active ? s.render() : null }))}
        />
      </Panel>
    </div>
  );
}
