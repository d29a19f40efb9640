/** The inbox list: filters by state, channel, intent and sentiment, then conversations, most recent first. */
import { CHANNELS } from '../../../../core/messages';
import { useState } from 'react';
import { Badge, Button, Field, Select, Spinner, Tabs, useToast } from '../../ui';
import { errorMessage } from '../shared/errors';
import { formatTime } from '../shared/format';
import type { InboxFilters } from './useConversations';
import { ConversationLabels, LabelFilters } from './LabelFilters';
import { contactName, STATUS_LABELS, STATUS_TONES, type ConversationStatus, type InboxConversation } from './types';

const STATUS_TABS: { id: ConversationStatus | ''; label: string }[] = [
  { id: '', label: 'All' },
  { id: 'bot', label: 'Bot' },
  { id: 'waiting', label: 'Waiting' },
  { id: 'human', label: 'Human' },
  { id: 'closed', label: 'Closed' },
];

interface Props {
  filters: InboxFilters;
  onFilters: (f: InboxFilters) => void;
  items: InboxConversation[] | undefined;
  loading: boolean;
  error: unknown;
  selectedId: string | undefined;
  onSelect: (id: string) => void;
  connected: boolean;
  hasMore: boolean;
  onLoadMore: () => Promise<void>;
}

export function ConversationList({ filters, onFilters, items, loading, error, selectedId, onSelect, connected, hasMore, onLoadMore }: Props) {
  const toast = useToast();
  const [loadingMore, setLoadingMore] = useState(false);
  const more = async () => {
    setLoadingMore(true);
    try {
      await onLoadMore();
    } catch (err) {
      toast.error(errorMessage(err));
    } finally {
      setLoadingMore(false);
    }
  };
  const list = (
    <div className="ib-conv-list">
      {error != null && <p className="pg-error-text" role="alert">{errorMessage(error)}</p>}
      {loading && !items && (
        <div className="pg-center">
          <Spinner label="Loading conversations" />
        </div>
      )}
      {items?.length === 0 && <p className="pg-muted">No conversations here.</p>}
      <ul className="pg-list" aria-label="Conversations">
        {items?.map((c) => (
          <li key={c.id}>
            <button type="button" className="pg-list-item" aria-current={c.id === selectedId ? 'true' : undefined} onClick={() => onSelect(c.id)} data-conversation-id={c.id}>
              <div className="pg-row pg-row-between">
                <span className="pg-list-title pg-grow">{contactName(c)}</span>
                <span className="pg-muted">{formatTime(c.lastMessageAt)}</span>
              </div>
              <div className="pg-row">
                <Badge tone={STATUS_TONES[c.status]}>{STATUS_LABELS[c.status]}</Badge>
                <span className="pg-muted">{c.channel}</span>
                {c.labels && <ConversationLabels labels={c.labels} />}
              </div>
              <div className="pg-list-sub">{c.lastMessage ? `${c.lastMessage.author === 'contact' ? '' : `${c.lastMessage.author}: `}${c.lastMessage.text}` : '\u00a0'}</div>
            </button>
          </li>
        ))}
      </ul>
      {hasMore && (
        <div className="pg-row pg-row-end">
          <Button size="sm" onClick={() => void more()} disabled={loadingMore}>
            {loadingMore ? 'Loading…' : 'Load older conversations'}
          </Button>
        </div>
      )}
    </div>
  );

  return (
    <div className="pg-col pg-fill">
      <div className="pg-filters">
        <Field label="Channel">
          <Select value={filters.channel} onChange={(e) => onFilters({ ...filters, channel: e.target.value })} options={[{ value: '', label: 'All channels' }, ...CHANNELS]} />
        </Field>
        <LabelFilters filters={filters} onFilters={onFilters} />
        <span className="pg-muted pg-status-line" role="status">
          {connected ? 'Live' : 'Reconnecting…'}
        </span>
      </div>
      <Tabs
        label="Conversation state"
        active={filters.status}
        onChange={(id) => onFilters({ ...filters, status: id as ConversationStatus | '' })}
        tabs={STATUS_TABS.map((t) => ({ id: t.id, label: t.label, content: t.id === filters.status ? list : null }))}
      />
    </div>
  );
}
