/** The inbox list: loaded for the chosen filters, then kept current by live frames. */
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/client';
import { LoadBuffer, useQuery } from '../shared/useQuery';
import type { InboxLive } from './useInboxLive';
import type { ConversationStatus, InboxConversation, InboxPage } from './types';

export interface InboxFilters {
  status: ConversationStatus | '';
  channel: string;
  /** A label of conversations (worker/labels.ts); '' = any. */
  intent: string;
  sentiment: '' | 'positive' | 'neutral' | 'negative';
}

const PAGE = 100;

const byRecent = (a: InboxConversation, b: InboxConversation) => (b.lastMessageAt ?? b.createdAt ?? '').localeCompare(a.lastMessageAt ?? a.createdAt ?? '');

export const matchesFilters = (c: InboxConversation, f: InboxFilters) =>
  !c.isTest &&
  (!f.status || c.status === f.status) &&
  (!f.channel || c.channel === f.channel) &&
  (!f.intent || c.labels?.intent === f.intent) &&
  (!f.sentiment || c.labels?.sentiment === f.sentiment);

function fetchPage(filters: InboxFilters, cursor: string | null): Promise<InboxPage> {
  const params = new URLSearchParams({ limit: String(PAGE) });
  if (filters.status) params.set('status', filters.status);
  if (filters.channel) params.set('channel', filters.channel);
  if (filters.intent) params.set('intent', filters.intent);
  if (filters.sentiment) params.set('sentiment', filters.sentiment);
  if (cursor) params.set('cursor', cursor);
  return api.get<InboxPage>(`/v1/conversations?${params}`);
}

/** The list after one live list item: moved to its place, or gone when it no longer matches. */
function applyConversation(list: InboxConversation[], conv: InboxConversation, filters: InboxFilters): InboxConversation[] {
  const rest = list.filter((c) => c.id !== conv.id);
  return matchesFilters(conv, filters) ? [conv, ...rest].sort(byRecent) : rest;
}

export function useConversations(filters: InboxFilters, live: InboxLive) {
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [buffer] = useState(() => new LoadBuffer<InboxConversation>());
  const query = useQuery(
    () =>
      buffer.around(
        async () => {
          const page = await fetchPage(filters, null);
          setNextCursor(page.nextCursor);
          return page.conversations;
        },
        (list, conv) => applyConversation(list, conv, filters),
      ),
    [filters.status, filters.channel, filters.intent, filters.sentiment],
  );
  const { setData, reload } = query;

  /** Older conversations, appended; a conversation already shown (moved up live) is not repeated. */
  const loadMore = useCallback(async () => {
    if (!nextCursor) return;
    const page = await fetchPage(filters, nextCursor);
    setNextCursor(page.nextCursor);
    setData((list = []) => [...list, ...page.conversations.filter((c) => !list.some((x) => x.id === c.id))]);
  }, [filters, nextCursor, setData]);

  useEffect(
    () =>
      live.subscribe((frame) => {
        if (frame.type === 'resync') return void reload();
        if (frame.type === 'conversation') {
          buffer.push(frame.conversation);
          setData((list = []) => applyConversation(list, frame.conversation, filters));
        } else if (frame.type === 'message') {
          const { conversationId, message } = frame;
          setData((list = []) =>
            list
              .map((c) => (c.id === conversationId ? { ...c, lastMessageAt: message.createdAt, lastMessage: { text: message.text, author: message.author, createdAt: message.createdAt } } : c))
              .sort(byRecent),
          );
        }
      }),
    [live, setData, reload, filters, buffer],
  );
  return { ...query, nextCursor, loadMore };
}
