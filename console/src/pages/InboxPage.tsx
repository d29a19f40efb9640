/**
 * The inbox for agents: conversations by state and channel on the left (live), the open
 * conversation on the right (`#/inbox/:conversationId`).
 */
import { useState } from 'react';
import { matchPath, navigate, useLocation } from '../app/router';
import { EmptyState, Panel } from '../ui';
import { ConversationList } from './inbox/ConversationList';
import { ConversationView } from './inbox/ConversationView';
import { useConversations, type InboxFilters } from './inbox/useConversations';
import { useInboxLive } from './inbox/useInboxLive';
import './pages.css';

export function InboxPage() {
  const { path } = useLocation();
  const selectedId = matchPath('/inbox/:conversationId', path)?.conversationId;
  const [filters, setFilters] = useState<InboxFilters>({ status: '', channel: '', intent: '', sentiment: '' });
  const live = useInboxLive();
  const conversations = useConversations(filters, live);

  return (
    <div className="page pg-fill">
      <div className="page-head">
        <h1>Inbox</h1>
      </div>
      <div className="pg-split pg-fill">
        <Panel title="Conversations" className="pg-fill">
          <ConversationList
            filters={filters}
            onFilters={setFilters}
            items={conversations.data}
            loading={conversations.loading}
            error={conversations.error}
            selectedId={selectedId}
            onSelect={(id) => navigate(`/inbox/${id}`)}
            connected={live.connected}
            hasMore={conversations.nextCursor !== null}
            onLoadMore={conversations.loadMore}
          />
        </Panel>
        {selectedId ? (
          <ConversationView key={selectedId} conversationId={selectedId} listItem={conversations.data?.find((c) => c.id === selectedId)} live={live} />
        ) : (
          <Panel className="pg-fill">
            <EmptyState title="No conversation open">Pick a conversation on the left to read it and reply.</EmptyState>
          </Panel>
        )}
      </div>
    </div>
  );
}
