/**
 * One campaign (`#/campaigns/:id`): its status and what to do next (edit, delete, submit, approve
 * or send back), the live progress with pause/resume/cancel while it is scheduled or sending, its
 * results with charts and the CSV, and its settings and content.
 */
import { lazy, Suspense } from 'react';
import { api } from '../../api/client';
import { can, useAuth } from '../../app/auth';
import { Link, navigate } from '../../app/router';
import { Button, Panel, Spinner, useToast } from '../../ui';
import { QueryStatus } from '../shared/QueryStatus';
import { useToastAction } from '../shared/useAsyncAction';
import { useConfirmAction } from '../shared/useConfirmAction';
import { usePolling, useQuery } from '../shared/useQuery';
import { CampaignFacts } from './CampaignFacts';
import { VariantView } from './ContentView';
import { PreviewPanel } from './PreviewPanel';
import { ProgressPanel } from './ProgressPanel';
import { ReviewActions } from './ReviewActions';
import { TemplateApproval } from './TemplateApproval';
import { StatusBadge } from './StatusBadge';
import { isEditable, LIVE_STATUSES, type Campaign, type CampaignState } from './types';
import '../pages.css';
import './campaigns.css';

const ResultsView = lazy(() => import('./ResultsView').then((m) => ({ default: m.ResultsView })));

/** Statuses a campaign has progress in: its run has been approved. */
const RUNNING = ['scheduled', 'sending', 'paused', 'completed', 'cancelled', 'failed'];

export function CampaignPage({ campaignId }: { campaignId: string }) {
  const campaign = useQuery(() => api.get<Campaign>(`/v1/campaigns/${campaignId}`), [campaignId]);
  // Someone else's move (an approver's answer, the writer finishing) shows without a reload.
  usePolling(() => campaign.reload(), 3000, campaign.data?.status === 'awaiting_approval');
  return (
    <div className="page">
      <QueryStatus query={campaign} loadingLabel="Loading the campaign">
        {(c) => c && <CampaignBody campaign={c} reload={() => void campaign.reload()} />}
      </QueryStatus>
    </div>
  );
}

function CampaignBody({ campaign: c, reload }: { campaign: Campaign; reload: () => void }) {
  const { user } = useAuth();
  const toast = useToast();
  const action = useToastAction();
  const marketer = can.market(user?.role);
  const onState = (_state: CampaignState) => reload();
  const remove = useConfirmAction<Campaign>({
    title: `Delete ${c.name}?`,
    confirmLabel: 'Delete draft',
    message: () => 'The draft and its content are removed.',
    run: async () => {
      await api.del(`/v1/campaigns/${c.id}`);
      toast.success(`${c.name} deleted`);
      navigate('/campaigns');
    },
    action,
  });
  const submit = () =>
    action.run('submit', async () => {
      await api.post<CampaignState>(`/v1/campaigns/${c.id}/submit`);
      toast.success(`${c.name} was submitted for approval`);
      reload();
    });
  const started = RUNNING.includes(c.status);

  return (
    <>
      <div className="page-head">
        <div className="pg-col">
          <Link to="/campaigns" className="pg-muted">
            ← Campaigns
          </Link>
          <h1>
            {c.name} <StatusBadge status={c.status} />
          </h1>
        </div>
        <div className="page-head-actions">
          {marketer && isEditable(c.status) && (
            <>
              <Button onClick={() => navigate(`/campaigns/${c.id}/edit?step=${c.variants.length ? 'review' : 'brief'}`)}>Edit</Button>
              {c.variants.length > 0 && (
                <Button variant="primary" disabled={action.busy} onClick={() => void submit()}>
                  Submit for approval
                </Button>
              )}
            </>
          )}
          {marketer && c.status === 'draft' && (
            <Button variant="danger" disabled={action.busy} onClick={() => remove.ask(c)}>
              Delete
            </Button>
          )}
          {c.status === 'awaiting_approval' && <ReviewActions campaign={c} onDone={onState} />}
        </div>
      </div>
      {c.status === 'changes_requested' && c.changesRequested && (
        <div className="cp-callout" role="note" aria-label="Changes requested">
          <strong>Changes requested by {c.changesRequested.by}:</strong> {c.changesRequested.comment}
        </div>
      )}
      {c.error && (
        <p className="pg-error-text" role="alert">
          {c.error}
        </p>
      )}
      {(started || c.status === 'generating') && <ProgressPanel key={c.status} campaign={c} onStatus={onState} />}
      {started && (
        <Panel title="Results">
          <Suspense fallback={<Spinner label="Loading results" />}>
            {/* Read again on every status change: the last figures of a finished campaign are its final ones. */}
            <ResultsView key={c.status} campaignId={c.id} live={LIVE_STATUSES.includes(c.status)} />
          </Suspense>
        </Panel>
      )}
      <Panel title="Settings">
        <CampaignFacts campaign={c} />
      </Panel>
      <Panel title="Content">
        <div className="cp-split">
          <div className="pg-col">
            {c.variants.length === 0 ? <p className="pg-muted">No content yet.</p> : c.variants.map((v) => <VariantView key={v.id} variant={v} channels={c.channels} />)}
            {(isEditable(c.status) || c.status === 'awaiting_approval') && <TemplateApproval campaign={c} />}
          </div>
          {c.variants.length > 0 && <PreviewPanel campaignId={c.id} variant={c.winnerVariant ?? c.variants[0].id} />}
        </div>
      </Panel>
      {remove.dialog}
    </>
  );
}
