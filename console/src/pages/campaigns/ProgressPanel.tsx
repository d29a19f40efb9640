/**
 * Live progress of a campaign from its workflow (`GET /v1/campaigns/:id/progress`), polled every
 * 1.5 s while it can move: a progress bar over the audience and the counters, and the buttons that
 * pause, resume or cancel it and change its send rate. Each action answers the new state at once.
 */
import { useState } from 'react';
import { api } from '../../api/client';
import { can, useAuth } from '../../app/auth';
import { Button, Field, Input, Panel, useToast } from '../../ui';
import { errorMessage } from '../shared/errors';
import { Figure } from '../shared/Figure';
import { useToastAction } from '../shared/useAsyncAction';
import { useConfirmAction } from '../shared/useConfirmAction';
import { usePolling, useQuery } from '../shared/useQuery';
import { CHANNEL_LABELS, LIVE_STATUSES, SKIP_LABELS, type Campaign, type CampaignChannel, type CampaignState } from './types';

const POLL_MS = 1500;

export function ProgressPanel({ campaign, onStatus }: { campaign: Campaign; onStatus: (state: CampaignState) => void }) {
  const { user } = useAuth();
  const toast = useToast();
  const action = useToastAction();
  const progress = useQuery(() => api.get<CampaignState>(`/v1/campaigns/${campaign.id}/progress`), [campaign.id]);
  const state = progress.data;
  const live = LIVE_STATUSES.includes(state?.status ?? campaign.status);
  const polling = usePolling(
    async () => {
      const next = await api.get<CampaignState>(`/v1/campaigns/${campaign.id}/progress`);
      progress.setData(next);
      if (next.status !== campaign.status) onStatus(next);
    },
    POLL_MS,
    live,
  );

  const send = async (verb: 'pause' | 'resume' | 'cancel', done: string) => {
    const next = await api.post<CampaignState>(`/v1/campaigns/${campaign.id}/${verb}`);
    progress.setData(next);
    toast.success(done);
    onStatus(next);
  };
  const act = (verb: 'pause' | 'resume', done: string) => action.run(verb, () => send(verb, done));
  const cancel = useConfirmAction<Campaign>({
    title: `Cancel ${campaign.name}?`,
    confirmLabel: 'Cancel campaign',
    message: () => 'Nobody else gets it; those already sent stay sent. This cannot be undone.',
    run: () => send('cancel', 'Cancelled'),
    action,
  });

  if (!state) return <Panel title="Progress">{progress.error ? <p className="pg-error-text">{errorMessage(progress.error)}</p> : null}</Panel>;
  const skipped = Object.values(state.skipped).reduce((a, b) => a + b, 0);
  const done = state.sent + state.failed + skipped;
  const total = Math.max(state.targeted, done);
  const percent = total ? Math.round((done / total) * 100) : 0;
  const status = state.status;
  const mayAct = can.market(user?.role);

  return (
    <Panel
      title="Progress"
      actions={
        mayAct && (
          <div className="pg-row">
            {(status === 'sending' || status === 'scheduled') && (
              <Button disabled={action.busy} onClick={() => void act('pause', 'Paused: nothing more is sent until you resume')}>
                Pause
              </Button>
            )}
            {status === 'paused' && (
              <Button variant="primary" disabled={action.busy} onClick={() => void act('resume', 'Resumed')}>
                Resume
              </Button>
            )}
            {['scheduled', 'sending', 'paused'].includes(status) && (
              <Button variant="danger" disabled={action.busy} onClick={() => cancel.ask(campaign)}>
                Cancel campaign
              </Button>
            )}
          </div>
        )
      }
    >
      <div className="pg-col">
        <div className="cp-progress-line">
          <progress className="pg-progress" aria-label="Sending progress" max={total || 1} value={done} />
          <span aria-live="polite">
            {done} of {total} ({percent}%) · {state.stage}
          </span>
        </div>
        <dl className="sc-figures" aria-label="Counters">
          <Figure label="Targeted" value={state.targeted} />
          <Figure label="Sent" value={state.sent} />
          <Figure label="Failed" value={state.failed} />
          <Figure label="Waiting" value={state.pending} />
          <Figure label="Quiet hours" value={state.deferred} />
          {(Object.keys(state.skipped) as (keyof typeof SKIP_LABELS)[]).map((r) => (
            <Figure key={r} label={`Skipped: ${SKIP_LABELS[r]}`} value={state.skipped[r]} />
          ))}
        </dl>
        {state.winnerVariant && <p>Variant {state.winnerVariant} won the A/B test and goes to the rest.</p>}
        {polling.error != null && <p className="pg-error-text">Progress is not updating: {errorMessage(polling.error)}</p>}
        {mayAct && ['draft', 'awaiting_approval', 'scheduled', 'sending', 'paused'].includes(status) && <RateForm campaign={campaign} onState={(s) => progress.setData(s)} />}
      </div>
      {cancel.dialog}
    </Panel>
  );
}

/** Changes the send rate of a running campaign; the workflow applies it from its next page. */
function RateForm({ campaign, onState }: { campaign: Campaign; onState: (s: CampaignState) => void }) {
  const toast = useToast();
  const action = useToastAction();
  const [rates, setRates] = useState<Record<string, string>>(() => Object.fromEntries(campaign.channels.map((ch) => [ch, String(campaign.ratePerSecond[ch] ?? '')])));
  const change = () =>
    action.run('rate', async () => {
      const ratePerSecond = Object.fromEntries(Object.entries(rates).filter(([, v]) => Number(v) > 0).map(([k, v]) => [k, Number(v)]));
      onState(await api.post<CampaignState>(`/v1/campaigns/${campaign.id}/rate`, { ratePerSecond }));
      toast.success('Send rate changed');
    });
  return (
    <form className="pg-row cp-rate" aria-label="Send rate" onSubmit={(e) => (e.preventDefault(), void change())}>
      {campaign.channels.map((ch: CampaignChannel) => (
        <Field key={ch} label={`${CHANNEL_LABELS[ch]} per second`}>
          <Input type="number" min={0} step="any" value={rates[ch] ?? ''} onChange={(e) => setRates((r) => ({ ...r, [ch]: e.target.value }))} />
        </Field>
      ))}
      <Button type="submit" disabled={action.busy}>
        Change rate
      </Button>
    </form>
  );
}
