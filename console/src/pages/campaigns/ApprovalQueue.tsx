/**
 * The approval queue: campaigns awaiting approval, oldest submission first, each with its
 * content, audience and schedule so an approver decides without opening it. Everyone may look;
 * only approvers (and admins) get the buttons.
 */
import { api } from '../../api/client';
import { can, useAuth } from '../../app/auth';
import { Link } from '../../app/router';
import { EmptyState, Panel } from '../../ui';
import { formatDateTime } from '../shared/format';
import { QueryStatus } from '../shared/QueryStatus';
import { useQuery } from '../shared/useQuery';
import { sendLabel } from './CampaignList';
import { VariantView } from './ContentView';
import { ReviewActions } from './ReviewActions';
import { TemplateApproval } from './TemplateApproval';
import { CHANNEL_LABELS, type Campaign, type Page } from './types';

export function ApprovalQueue() {
  const { user } = useAuth();
  const queue = useQuery(async () => (await api.get<Page<Campaign>>('/v1/campaigns/approvals')).items, []);
  return (
    <div className="pg-col">
      {!can.approveCampaigns(user?.role) && <p className="pg-muted">Approvers and admins approve campaigns; you can see what waits for them.</p>}
      <QueryStatus query={queue} loadingLabel="Loading the approval queue">
        {(items = []) =>
          items.length === 0 ? (
            <EmptyState title="Nothing awaits approval">Campaigns submitted for approval show up here.</EmptyState>
          ) : (
            <ul className="pg-list" aria-label="Awaiting approval">
              {items.map((c) => (
                <li key={c.id} className="cp-approval">
                  <Panel
                    label={c.name}
                    title={
                      <h2>
                        <Link to={`/campaigns/${c.id}`}>{c.name}</Link>
                      </h2>
                    }
                    actions={<ReviewActions campaign={c} onDone={() => void queue.reload()} />}
                  >
                    <dl className="pg-dl">
                      <dt>Submitted</dt>
                      <dd>{c.submitted ? `${formatDateTime(c.submitted.at)} by ${c.submitted.by}` : '—'}</dd>
                      <dt>Channels</dt>
                      <dd>{c.channels.map((ch) => CHANNEL_LABELS[ch]).join(' → ')}</dd>
                      <dt>Sends</dt>
                      <dd>{sendLabel(c)}</dd>
                      {c.brief && (
                        <>
                          <dt>Goal</dt>
                          <dd>{c.brief.goal}</dd>
                        </>
                      )}
                    </dl>
                    {c.variants.map((v) => (
                      <VariantView key={v.id} variant={v} channels={c.channels} />
                    ))}
                    <TemplateApproval campaign={c} />
                  </Panel>
                </li>
              ))}
            </ul>
          )
        }
      </QueryStatus>
    </div>
  );
}
