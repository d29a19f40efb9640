/**
 * An approver's two answers to a campaign awaiting approval: approve it (it is scheduled, or
 * starts sending), or send it back with a comment saying what should change. Shown only to roles
 * that may approve (`can.approveCampaigns`).
 */
import { useState } from 'react';
import { api } from '../../api/client';
import { can, useAuth } from '../../app/auth';
import { Button, Field, FormDialog, Textarea, useToast } from '../../ui';
import { useSubmit, useToastAction } from '../shared/useAsyncAction';
import type { Campaign, CampaignState } from './types';

export function ReviewActions({ campaign, onDone }: { campaign: Pick<Campaign, 'id' | 'name'>; onDone: (state: CampaignState) => void }) {
  const { user } = useAuth();
  const toast = useToast();
  const action = useToastAction();
  const [asking, setAsking] = useState(false);
  const [comment, setComment] = useState('');
  const send = useSubmit(
    ['comment'],
    async () => {
      const state = await api.post<CampaignState>(`/v1/campaigns/${campaign.id}/request-changes`, { comment });
      toast.success(`${campaign.name} went back to its author`);
      setAsking(false);
      setComment('');
      onDone(state);
    },
    { validate: () => (comment.trim() ? null : ['comment', 'Say what should change']) },
  );
  if (!can.approveCampaigns(user?.role)) return null;

  const approve = () =>
    action.run('approve', async () => {
      const state = await api.post<CampaignState>(`/v1/campaigns/${campaign.id}/approve`);
      toast.success(`${campaign.name} approved`);
      onDone(state);
    });

  return (
    <div className="pg-row">
      <Button variant="primary" disabled={action.busy} onClick={() => void approve()} aria-label={`Approve ${campaign.name}`}>
        Approve
      </Button>
      <Button onClick={() => setAsking(true)} aria-label={`Request changes to ${campaign.name}`}>
        Request changes
      </Button>
      <FormDialog
        title={`Request changes to ${campaign.name}`}
        open={asking}
        onClose={() => setAsking(false)}
        onSubmit={() => void send.submit()}
        submitLabel="Send back"
        busy={send.busy}
        error={send.errors.form}
      >
        <Field label="Comment" help="The author sees it on the campaign and in the wizard." error={send.fieldError('comment')}>
          <Textarea rows={4} value={comment} onChange={(e) => setComment(e.target.value)} autoFocus />
        </Field>
      </FormDialog>
    </div>
  );
}
