/**
 * "Try it": a test conversation on the current draft (POST /v1/flows/:id/test-sessions) over the
 * chat WebSocket. `node` frames report which node runs, so the canvas lights it up.
 */
import { memo, useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { liveSocket, type LiveSocket } from '../api/client';
import { Button, EmptyState, Input } from '../ui';
import { flowApi } from './flowApi';
import type { GraphInput } from './flowApi';

interface ChatLine {
  id: string;
  author: string;
  text: string;
}

export interface TryItPanelProps {
  flowId: string;
  /** Saves pending edits and returns the graph to test, or null when it cannot run (problems). */
  prepare: () => Promise<GraphInput | null>;
  onNode: (nodeId: string, status: 'started' | 'finished' | 'failed') => void;
  onEnd: () => void;
}

/** Re-renders only for its own state: the callbacks are read through a ref. */
export const TryItPanel = memo(function TryItPanel({ flowId, prepare, onNode, onEnd }: TryItPanelProps) {
  const [lines, setLines] = useState<ChatLine[]>([]);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [state, setState] = useState<'idle' | 'starting' | 'connected' | 'reconnecting'>('idle');
  const [problem, setProblem] = useState<string | null>(null);
  const [text, setText] = useState('');
  const socket = useRef<LiveSocket | null>(null);
  const logRef = useRef<HTMLOListElement>(null);
  const handlers = useRef({ onNode, onEnd });
  handlers.current = { onNode, onEnd };

  const stop = useCallback(() => {
    socket.current?.close();
    socket.current = null;
    setState('idle');
    handlers.current.onEnd();
  }, []);
  useEffect(() => () => socket.current?.close(), []);
  useEffect(() => {
    // Not returned: Chromium's scrollIntoView now returns a promise, which React would call as a cleanup.
    logRef.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [lines, drafts]);

  const append = (message: ChatLine) => setLines((all) => (all.some((l) => l.id === message.id) ? all : [...all, message]));

  const onFrame = (frame: any) => {
    switch (frame.type) {
      case 'history':
        for (const m of frame.messages ?? []) append({ id: m.id, author: m.author, text: m.text });
        break;
      case 'message':
        append({ id: frame.message.id, author: frame.message.author, text: frame.message.text });
        setDrafts({});
        break;
      case 'delta':
        setDrafts((d) => ({ ...d, [frame.streamKey]: (frame.reset ? '' : (d[frame.streamKey] ?? '')) + frame.delta }));
        break;
      case 'reset':
        setDrafts((d) => ({ ...d, [frame.streamKey]: '' }));
        break;
      case 'node':
        handlers.current.onNode(frame.nodeId, frame.status);
        break;
      case 'error':
        setProblem(frame.error?.message ?? 'The message could not be processed');
        break;
    }
  };

  const start = async () => {
    stop();
    setLines([]);
    setDrafts({});
    setProblem(null);
    setState('starting');
    try {
      const graph = await prepare();
      if (!graph) return setState('idle');
      const session = await flowApi.testSession(flowId, graph);
      socket.current = liveSocket(`/v1/chat?token=${encodeURIComponent(session.token)}`, {
        onMessage: onFrame,
        onOpen: () => setState('connected'),
        onDisconnect: () => socket.current && setState('reconnecting'),
        fatalCodes: [4401],
      });
    } catch (err) {
      setProblem((err as Error).message);
      setState('idle');
    }
  };

  const send = (e: FormEvent) => {
    e.preventDefault();
    const message = text.trim();
    if (!message || !socket.current) return;
    const clientId = `try-${crypto.randomUUID()}`;
    if (!socket.current.send({ text: message, clientId })) return setProblem('Not connected yet, try again in a moment');
    append({ id: clientId, author: 'contact', text: message });
    setText('');
  };

  // The contact's own message comes back stored under another id: hide the optimistic copy then.
  const shown = lines.filter((l, i) => !(l.id.startsWith('try-') && lines.slice(i + 1).some((o) => o.author === 'contact' && o.text === l.text)));

  return (
    <div className="tryit">
      <div className="tryit-actions">
        <Button variant="primary" size="sm" onClick={() => void start()} disabled={state === 'starting'}>
          {state === 'idle' ? 'Start test chat' : 'Restart'}
        </Button>
        {state !== 'idle' && (
          <Button size="sm" onClick={stop}>
            Stop
          </Button>
        )}
        <span className="tryit-state" role="status">
          {state === 'starting' ? 'Starting…' : state === 'connected' ? 'Connected' : state === 'reconnecting' ? 'Reconnecting…' : ''}
        </span>
      </div>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      {state === 'idle' && lines.length === 0 ? (
        <EmptyState title="Test your draft">Chat with the flow as it is now, without publishing. Test chats do not appear in the inbox or the runs list.</EmptyState>
      ) : (
        <ol className="tryit-log" ref={logRef} aria-label="Test conversation" aria-live="polite">
          {shown.map((l) => (
            <li key={l.id} className={`tryit-msg tryit-${l.author}`}>
              {l.text}
            </li>
          ))}
          {Object.entries(drafts)
            .filter(([, t]) => t)
            .map(([k, t]) => (
              <li key={k} className="tryit-msg tryit-bot tryit-streaming">
                {t}
              </li>
            ))}
        </ol>
      )}
      <form className="tryit-form" onSubmit={send}>
        <Input aria-label="Test message" value={text} onChange={(e) => setText(e.target.value)} disabled={state !== 'connected'} placeholder="Type a message…" />
        <Button type="submit" size="sm" disabled={state !== 'connected' || !text.trim()}>
          Send
        </Button>
      </form>
    </div>
  );
},
  (a, b) => a.flowId === b.flowId && a.prepare === b.prepare,
);
