/**
 * One conversation for the inbox: its details and transcript (every page, oldest first), kept
 * current by live frames; messages are keyed by id, so one seen twice shows once.
 */
import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { LoadBuffer, useQuery } from '../shared/useQuery';
import type { InboxLive } from './useInboxLive';
import type { OpenConversation, TranscriptMessage, TranscriptPage } from './types';

const PAGE = 200;
/** Enough for any conversation a person reads in the inbox; older messages stay in the API. */
const MAX_PAGES = 10;

async function loadTranscript(conversationId: string): Promise<TranscriptMessage[]> {
  const all: TranscriptMessage[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const params = new URLSearchParams({ limit: String(PAGE) });
    if (cursor) params.set('cursor', cursor);
    const body = await api.get<TranscriptPage>(`/v1/conversations/${conversationId}/messages?${params}`);
    all.push(...body.messages);
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  return all;
}

/** A message seen again (its delivery status or an edit changed) replaces the line it had. */
const addMessage = (list: TranscriptMessage[], m: TranscriptMessage) =>
  list.some((x) => x.id === m.id) ? list.map((x) => (x.id === m.id ? { ...x, ...m } : x)) : [...list, m].sort((a, b) => a.createdAt.localeCompare(b.createdAt));

export function useTranscript(conversationId: string, live: InboxLive) {
  // Frames delivered while a read is in flight are applied on top of its (possibly older) result.
  const [convBuffer] = useState(() => new LoadBuffer<OpenConversation>());
  const [msgBuffer] = useState(() => new LoadBuffer<TranscriptMessage>());
  const conversation = useQuery(
    () => convBuffer.around(() => api.get<OpenConversation>(`/v1/conversations/${conversationId}`), (conv, update) => ({ ...conv, ...update })),
    [conversationId],
  );
  const messages = useQuery(() => msgBuffer.around(() => loadTranscript(conversationId), addMessage), [conversationId]);
  const [contactTyping, setContactTyping] = useState(false);
  const setConversation = conversation.setData;
  const setMessages = messages.setData;
  const reloadConversation = conversation.reload;
  const reloadMessages = messages.reload;

  useEffect(() => {
    setContactTyping(false);
    let typingTimer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = live.subscribe((frame) => {
      if (frame.type === 'resync') {
        void reloadConversation();
        void reloadMessages();
      } else if (frame.type === 'conversation' && frame.conversation.id === conversationId) {
        convBuffer.push(frame.conversation);
        setConversation((prev) => ({ ...prev, ...frame.conversation }));
      } else if (frame.type === 'message' && frame.conversationId === conversationId) {
        msgBuffer.push(frame.message);
        setMessages((prev = []) => addMessage(prev, frame.message));
        if (frame.message.author === 'contact') setContactTyping(false);
      } else if (frame.type === 'typing' && frame.conversationId === conversationId && frame.author === 'contact') {
        setContactTyping(frame.typing);
        // A lost "stopped typing" frame must not leave the indicator on.
        clearTimeout(typingTimer);
        if (frame.typing) typingTimer = setTimeout(() => setContactTyping(false), 10_000);
      }
    });
    return () => {
      clearTimeout(typingTimer);
      unsubscribe();
    };
  }, [conversationId, live, setConversation, setMessages, reloadConversation, reloadMessages, convBuffer, msgBuffer]);

  return { conversation, messages, contactTyping };
}
