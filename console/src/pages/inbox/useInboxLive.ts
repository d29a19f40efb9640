/**
 * One `/v1/inbox/live` socket per inbox page, fanned out to the list and the open transcript.
 * After a reconnect every listener gets `{type:'resync'}`: frames sent while the socket was down
 * are lost, so listeners reload what they show. The server sends the same frame after a gap in
 * its own feed (its Redis restarted).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { liveSocket } from '../../api/client';
import type { InboxFrame } from './types';

export type LiveFrame = InboxFrame;
export type LiveListener = (frame: LiveFrame) => void;

export interface InboxLive {
  connected: boolean;
  subscribe(listener: LiveListener): () => void;
}

export function useInboxLive(): InboxLive {
  const listeners = useRef(new Set<LiveListener>());
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    let opened = false;
    const emit = (frame: LiveFrame) => listeners.current.forEach((l) => l(frame));
    const socket = liveSocket('/v1/inbox/live', {
      onMessage: (frame) => frame && typeof frame.type === 'string' && emit(frame as InboxFrame),
      onOpen: () => {
        setConnected(true);
        if (opened) emit({ type: 'resync' });
        opened = true;
      },
      onDisconnect: () => setConnected(false),
      fatalCodes: [4401, 4403],
    });
    return () => socket.close();
  }, []);

  return useMemo(
    () => ({
      connected,
      subscribe(listener: LiveListener) {
        listeners.current.add(listener);
        return () => listeners.current.delete(listener);
      },
    }),
    [connected],
  );
}
