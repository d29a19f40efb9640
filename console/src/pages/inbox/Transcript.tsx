/** The messages of one conversation, oldest first; follows the bottom while the reader is there. */
import { useEffect, useLayoutEffect, useRef } from 'react';
import { Spinner } from '../../ui';
import { formatTime } from '../shared/format';
import { DeliveryMark, EditMark, MessageContent, textIsReadableForm } from './MessageContent';
import type { TranscriptMessage } from './types';

const AUTHOR_LABELS: Record<TranscriptMessage['author'], string> = { contact: 'Contact', bot: 'Bot', agent: 'Agent', system: 'System' };

export function Transcript({ messages, loading, typing }: { messages: TranscriptMessage[] | undefined; loading: boolean; typing: string | null }) {
  const box = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);

  useLayoutEffect(() => {
    const el = box.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [messages, typing]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const onScroll = () => {
      atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    };
    el.addEventListener('scroll', onScroll);
    return () => el.removeEventListener('scroll', onScroll);
  }, []);

  return (
    <div className="ib-transcript" ref={box} role="log" aria-label="Transcript" aria-live="polite" tabIndex={0}>
      {loading && !messages && (
        <div className="pg-center">
          <Spinner label="Loading the transcript" />
        </div>
      )}
      {messages?.length === 0 && <p className="pg-muted">No messages yet.</p>}
      {messages?.map((m) => (
        <div key={m.id} className={`ib-msg ib-msg-${m.author}`} data-author={m.author}>
          {!textIsReadableForm(m) && m.text}
          <MessageContent m={m} />
          <span className="ib-msg-meta">
            {AUTHOR_LABELS[m.author]}
            {m.source === 'offline-responder' ? ' · offline responder' : ''} · {formatTime(m.createdAt)}
            <EditMark m={m} />
            {m.delivery && <DeliveryMark delivery={m.delivery} />}
          </span>
        </div>
      ))}
      <div className="ib-typing" aria-live="polite">
        {typing}
      </div>
    </div>
  );
}
