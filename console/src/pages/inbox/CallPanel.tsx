/**
 * The phone calls of a conversation, above its transcript (GET /v1/calls?conversationId=…): each
 * call's live status and duration (polled every 2 s while one is live, the clock ticking each
 * second), the node it waits on, and "Take over call" for agents: Twilio moves the live call to
 * the agent's phone (POST /v1/calls/:id/take-over). Voicemails play in the transcript below, their
 * transcript beside the player. Renders nothing for conversations without calls.
 */
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { callList } from '../../../../core/api/calls';
import { FINAL_CALL_STATUSES, type CallStatus } from '../../../../core/voice/types';
import { api } from '../../api/client';
import { useAuth } from '../../app/auth';
import { Badge, Button, Field, FormDialog, Input, useToast, type Tone } from '../../ui';
import { useSubmit } from '../shared/useAsyncAction';
import { usePolling, useQuery } from '../shared/useQuery';

type Call = z.infer<typeof callList>['items'][number];

const isLive = (c: Call) => c.callSid !== null && c.endedAt === null && !FINAL_CALL_STATUSES.includes(c.status as CallStatus);
const TONES: Partial<Record<CallStatus, Tone>> = { 'in-progress': 'info', ringing: 'info', queued: 'neutral', completed: 'success', busy: 'warning', 'no-answer': 'warning', failed: 'danger', canceled: 'neutral' };

/** m:ss (h:mm:ss past an hour). */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h ? 2 : 1, '0');
  return `${h ? `${h}:` : ''}${mm}:${String(s % 60).padStart(2, '0')}`;
}

/** The call's length: Twilio's CallDuration once over, else the time since it started. */
const durationOf = (c: Call, now: number) => (c.durationSeconds !== null ? c.durationSeconds : c.startedAt ? (now - Date.parse(c.startedAt)) / 1000 : 0);

export function CallPanel({ conversationId, mayAct }: { conversationId: string; mayAct: boolean }) {
  const calls = useQuery(async () => (await api.get<z.infer<typeof callList>>(`/v1/calls?conversationId=${encodeURIComponent(conversationId)}&limit=5`)).items, [conversationId]);
  const live = (calls.data ?? []).some(isLive);
  usePolling(() => calls.reload(), 2000, live);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [live]);
  const [taking, setTaking] = useState<Call | null>(null);

  if (!calls.data?.length) return null;
  return (
    <section className="ib-calls" aria-label="Phone calls">
      {calls.data.map((c) => (
        <div key={c.id} className="pg-row ib-call" data-call-status={c.status}>
          <span aria-hidden="true">☎</span>
          <Badge tone={TONES[c.status as CallStatus] ?? 'neutral'}>{c.status.replace('-', ' ')}</Badge>
          <span className="pg-mono" data-call-duration>
            {clock(durationOf(c, now))}
          </span>
          <span className="pg-muted">
            {c.direction === 'inbound' ? `from ${c.from}` : `to ${c.to}`}
            {isLive(c) && c.currentNodeId ? ` · at ${c.currentNodeId}` : ''}
          </span>
          {mayAct && isLive(c) && (
            <Button size="sm" variant="primary" onClick={() => setTaking(c)}>
              Take over call
            </Button>
          )}
        </div>
      ))}
      <TakeOverDialog call={taking} onClose={() => setTaking(null)} onDone={() => void calls.reload()} />
    </section>
  );
}

function TakeOverDialog({ call, onClose, onDone }: { call: Call | null; onClose: () => void; onDone: () => void }) {
  const { user } = useAuth();
  const toast = useToast();
  const [phone, setPhone] = useState('');
  useEffect(() => setPhone(user?.phone ?? ''), [call, user?.phone]);
  const { submit, busy, errors, fieldError } = useSubmit(
    ['phone'],
    async () => {
      const taken = await api.post<{ to: string }>(`/v1/calls/${call!.id}/take-over`, phone.trim() ? { phone: phone.trim() } : {});
      toast.success(`The call is ringing ${taken.to}`);
      onDone();
      onClose();
    },
    { validate: () => (phone.trim() && !/^\+[1-9]\d{6,14}$/.test(phone.trim()) ? ['phone', 'an E.164 number such as +4930123456'] : null) },
  );
  return (
    <FormDialog title="Take over call" open={call !== null} onClose={onClose} onSubmit={() => void submit()} submitLabel="Ring my phone" busy={busy} error={errors.form}>
      <p className="pg-muted">The caller leaves the flow and your phone rings; pick up to talk to them.</p>
      <Field label="Ring this phone" help="E.164. Your own phone is set in Settings → Users." error={fieldError('phone')}>
        <Input type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} autoFocus autoComplete="off" />
      </Field>
    </FormDialog>
  );
}
