/**
 * Promotions for puzzles and slow days: the rules' choice with its figures, the copy (the model in
 * the brand voice, or the offline template writer, which the card says), and "Create campaign
 * draft", which opens the new campaign.
 */
import { useState } from 'react';
import { api } from '../../api/client';
import { can, useAuth } from '../../app/auth';
import { navigate } from '../../app/router';
import { Badge, Button, Checkbox, useToast } from '../../ui';
import { errorMessage } from '../shared/errors';
import { QueryStatus } from '../shared/QueryStatus';
import { useQuery } from '../shared/useQuery';
import type { PromotionDto } from './types';

const CHANNELS = ['sms', 'email', 'whatsapp', 'messenger'] as const;

function PromotionCard({ p, writer, onChange }: { p: PromotionDto; writer: boolean; onChange: () => Promise<void> }) {
  const toast = useToast();
  const [channels, setChannels] = useState<string[]>(['sms']);
  const [busy, setBusy] = useState(false);
  const copy = p.copy as { sms?: { text: string }; social?: { instagram: string } };
  const act = async (run: () => Promise<void>) => {
    setBusy(true);
    try {
      await run();
    } catch (err) {
      toast.error(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const accept = () =>
    act(async () => {
      const res = await api.post<{ campaign: { id: string } }>(`/v1/menu/promotions/${p.id}/accept`, { channels });
      toast.success('Campaign draft created');
      navigate(`/campaigns/${res.campaign.id}`);
    });
  const dismiss = () =>
    act(async () => {
      await api.post(`/v1/menu/promotions/${p.id}/dismiss`);
      await onChange();
    });
  return (
    <article className="menu-card" aria-label={p.title}>
      <h3>
        {p.title} <Badge tone={p.status === 'proposed' ? 'info' : p.status === 'accepted' ? 'success' : 'neutral'}>{p.status}</Badge>
      </h3>
      <p>
        <strong>{p.offer}</strong>
      </p>
      <ul className="menu-arithmetic">
        {p.rationale.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      {copy.sms && <p className="menu-copy">{copy.sms.text}</p>}
      {copy.social && <p className="menu-copy">{copy.social.instagram}</p>}
      <p className="field-help">
        Copy by {p.copyBy}
        {p.copyNotes.length > 0 && ` — ${p.copyNotes.join(' ')}`}
      </p>
      {p.campaignId && (
        <Button size="sm" variant="ghost" onClick={() => navigate(`/campaigns/${p.campaignId}`)}>
          Open the campaign
        </Button>
      )}
      {writer && p.status === 'proposed' && (
        <div className="menu-row-actions">
          {CHANNELS.map((c) => (
            <Checkbox key={c} label={c} checked={channels.includes(c)} onChange={(e) => setChannels(e.target.checked ? [...channels, c] : channels.filter((x) => x !== c))} />
          ))}
          <Button variant="primary" disabled={busy || !channels.length} onClick={() => void accept()}>
            Create campaign draft
          </Button>
          <Button variant="ghost" disabled={busy} onClick={() => void dismiss()}>
            Dismiss
          </Button>
        </div>
      )}
    </article>
  );
}

export function PromotionsSection() {
  const { user } = useAuth();
  const writer = can.market(user?.role);
  const toast = useToast();
  const promotions = useQuery(async () => (await api.get<{ items: PromotionDto[] }>('/v1/menu/promotions')).items, []);
  const [busy, setBusy] = useState(false);
  const generate = async () => {
    setBusy(true);
    try {
      const res = await api.post<{ items: PromotionDto[] }>('/v1/menu/promotions/generate', {});
      toast.success(res.items.length ? `${res.items.length} promotions proposed` : 'No puzzle or slow day in the last 28 days: nothing to propose');
      await promotions.reload();
    } catch (err) {
      toast.error(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      {writer && (
        <div className="menu-row-actions">
          <Button variant="primary" disabled={busy} onClick={() => void generate()}>
            Propose promotions
          </Button>
          <span className="field-help">From the last 28 days’ matrix and weekday sales; replaces the open proposals.</span>
        </div>
      )}
      <QueryStatus query={promotions} loadingLabel="Loading promotions">
        {(list) => (list?.length ? list.map((p) => <PromotionCard key={p.id} p={p} writer={writer} onChange={promotions.reload} />) : <p>No promotions yet.</p>)}
      </QueryStatus>
    </div>
  );
}
