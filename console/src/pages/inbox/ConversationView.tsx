/**
 * The open conversation: who and where, its state, the live transcript, and the agent's actions
 * (take over, reply, release to the bot, close). Agents and admins act; everyone else reads.
 */
import { CallPanel } from './CallPanel';
import { useState } from 'react';
import { api, ApiError } from '../../api/client';
import { can, useAuth } from '../../app/auth';
import { Link } from '../../app/router';
import { runPath } from '../runs/types';
import { Badge, Button, ConfirmDialog, Panel, useToast } from '../../ui';
import { errorMessage } from '../shared/errors';
import { formatDateTime, formatTime } from '../shared/format';
import { CannedResponsesDialog, useCannedResponses } from './CannedResponses';
import { Composer } from './Composer';
import { Transcript } from './Transcript';
import { useTranscript } from './useTranscript';
import type { InboxLive } from './useInboxLive';
import { contactName, STATUS_LABELS, STATUS_TONES, type ConversationStatus, type InboxConversation, type OpenConversation } from './types';

type Action = 'takeover' | 'release' | 'close';
const ACTION_STATUS: Record<Action, ConversationStatus> = { takeover: 'human', release: 'bot', close: 'closed' };
const ACTION_DONE: Record<Action, string> = { takeover: 'You took over the conversation', release: 'Handed back to the bot', close: 'Conversation closed' };

export function ConversationView({ conversationId, listItem, live }: { conversationId: string; listItem?: InboxConversation; live: InboxLive }) {
  const { user } = useAuth();
  const toast = useToast();
  const { conversation, messages, contactTyping } = useTranscript(conversationId, live);
  const canned = useCannedResponses();
  const [draft, setDraft] = useState('');
  const [sendError, setSendError] = useState<string | undefined>();
  const [busy, setBusy] = useState<Action | null>(null);
  const [confirmClose, setConfirmClose] = useState(false);
  const [cannedOpen, setCannedOpen] = useState(false);

  const conv = conversation.data ? { ...listItem, ...conversation.data } : listItem;
  const mayAct = can.handleInbox(user?.role);
  const status = conv?.status;

  const act = async (action: Action) => {
    setBusy(action);
    try {
      await api.post(`/v1/conversations/${conversationId}/${action}`, action === 'takeover' ? { agent: user?.name || user?.email } : undefined);
      toast.success(ACTION_DONE[action]);
      // The live frame confirms it; until then show what was asked, not a stale read.
      conversation.setData((prev) => ({ ...(conv as InboxConversation), ...prev, status: ACTION_STATUS[action] }));
    } catch (err) {
      toast.error(errorMessage(err));
    } finally {
      setBusy(null);
      setConfirmClose(false);
    }
  };

  const send = async (text: string) => {
    setSendError(undefined);
    try {
      await api.post(`/v1/conversations/${conversationId}/agent-messages`, { text, agent: user?.name || user?.email });
      return true;
    } catch (err) {
      setSendError(err instanceof ApiError && err.field && err.field !== 'text' ? `${err.field}: ${err.message}` : errorMessage(err));
      return false;
    }
  };

  const closed = status === 'closed';
  const composerDisabled = !mayAct || closed || status !== 'human';
  const disabledReason = !mayAct ? 'Only agents and admins can reply.' : closed ? 'The conversation is closed.' : 'Take over to reply.';

  return (
    <Panel
      className="pg-fill ib-panel"
      title={
        <div className="pg-col">
          <h2>{conv ? contactName(conv) : 'Conversation'}</h2>
          <div className="pg-row pg-muted">
            {status && <Badge tone={STATUS_TONES[status]}>{STATUS_LABELS[status]}</Badge>}
            <span>{conv?.channel ?? '\u00a0'}</span>
            {conv?.assignedAgent && <span>· {conv.assignedAgent}</span>}
            {conv?.createdAt && <span title={formatDateTime(conv.createdAt)}>· started {formatTime(conv.createdAt)}</span>}
            {conv?.csat && <CsatRating csat={conv.csat} />}
            {conv?.workflowId && (
              <>
                <span>·</span>
                <Link to={runPath(conv.workflowId)}>View run</Link>
              </>
            )}
          </div>
        </div>
      }
      label="Conversation"
      actions={
        mayAct && (
          <>
            {(status === 'bot' || status === 'waiting') && (
              <Button variant="primary" onClick={() => void act('takeover')} disabled={busy !== null}>
                Take over
              </Button>
            )}
            {status === 'human' && (
              <Button onClick={() => void act('release')} disabled={busy !== null}>
                Release to bot
              </Button>
            )}
            {status && !closed && (
              <Button variant="ghost" onClick={() => setConfirmClose(true)} disabled={busy !== null}>
                Close
              </Button>
            )}
          </>
        )
      }
    >
      <div className="pg-col ib-page">
        {conversation.error != null && !conv ? <p className="pg-error-text" role="alert">{errorMessage(conversation.error)}</p> : null}
        <CallPanel conversationId={conversationId} mayAct={mayAct} />
        <Transcript messages={messages.data} loading={messages.loading} typing={contactTyping ? 'Contact is typing…' : null} />
        <Composer
          conversationId={conversationId}
          canned={canned.data ?? []}
          disabled={composerDisabled}
          disabledReason={disabledReason}
          onSend={send}
          onOpenCanned={() => setCannedOpen(true)}
          text={draft}
          onTextChange={setDraft}
          error={sendError}
        />
      </div>
      <CannedResponsesDialog
        open={cannedOpen}
        onClose={() => setCannedOpen(false)}
        items={canned.data ?? []}
        canManage={can.build(user?.role)}
        onChanged={() => void canned.reload()}
        onPick={(text) => {
          setDraft(text);
          setCannedOpen(false);
        }}
      />
      <ConfirmDialog
        open={confirmClose}
        title="Close this conversation?"
        message="The conversation ends for the contact and leaves the open lists."
        confirmLabel="Close conversation"
        busy={busy === 'close'}
        onConfirm={() => void act('close')}
        onCancel={() => setConfirmClose(false)}
      />
    </Panel>
  );
}

/** The latest rating the contact gave at a csat node: stars or a thumb, the comment on hover. */
function CsatRating({ csat }: { csat: NonNullable<OpenConversation['csat']> }) {
  const shown = csat.scale === 'thumbs' ? (csat.score >= 4 ? '👍' : '👎') : `${'★'.repeat(csat.score)}${'☆'.repeat(5 - csat.score)}`;
  const label = csat.scale === 'thumbs' ? `Rated ${csat.score >= 4 ? 'thumbs up' : 'thumbs down'}` : `Rated ${csat.score} of 5`;
  return (
    <span className="ib-csat" data-testid="csat-rating" aria-label={label} title={[label, csat.comment ? `“${csat.comment}”` : null, formatDateTime(csat.createdAt)].filter(Boolean).join(' · ')}>
      · CSAT {shown}
    </span>
  );
}
