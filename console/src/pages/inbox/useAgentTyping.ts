/**
 * Tells the contact an agent is typing: `typing: true` on the first keystroke, `false` after a
 * pause, on send and when the conversation changes. Never more than one request per state change.
 */
import { useCallback, useEffect, useRef } from 'react';
import { api } from '../../api/client';

const IDLE_MS = 3000;

export function useAgentTyping(conversationId: string, enabled: boolean) {
  const typing = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const send = useCallback(
    (value: boolean) => {
      if (typing.current === value) return;
      typing.current = value;
      // Best effort: a lost typing hint must never get in the way of the reply itself.
      api.post(`/v1/conversations/${conversationId}/typing`, { typing: value }).catch(() => undefined);
    },
    [conversationId],
  );

  const stop = useCallback(() => {
    clearTimeout(timer.current);
    send(false);
  }, [send]);

  const keystroke = useCallback(
    (text: string) => {
      if (!enabled) return;
      if (!text.trim()) return stop();
      send(true);
      clearTimeout(timer.current);
      timer.current = setTimeout(stop, IDLE_MS);
    },
    [enabled, send, stop],
  );

  useEffect(() => stop, [stop]);
  return { keystroke, stop };
}
