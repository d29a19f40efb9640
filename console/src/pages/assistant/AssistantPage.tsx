/**
 * The marketing assistant (ARCHITECTURE "Marketing assistant"): the signed-in user's conversation
 * with it (POST /v1/assistant/conversations), questions and streamed answers over the chat socket,
 * and beside each answer the figures it used (the message's `tool:` citations). Without a model it
 * says so and offers the questions its tools answer directly.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { AssistantSession } from '../../../../core/api/assistant';
import { api, liveSocket, type LiveSocket } from '../../api/client';
import { can, useAuth } from '../../app/auth';
import { Badge, Button, EmptyState, Input } from '../../ui';
import './assistant.css';

interface Cited {
  document: string;
  documentId?: string;
  section?: string;
}

interface Line {
  id: string;
  author: string;
  text: string;
  citations?: Cited[];
}

const OPTIMISTIC = 'ask-';
const isFigure = (c: Cited) => c.documentId?.startsWith('tool:') ?? false;

function lineOf(m: { id: string; author: string; text: string; citations?: Cited[] }): Line {
  return { id: m.id, author: m.author, text: m.text, ...(m.citations?.length ? { citations: m.citations } : {}) };
}

export function AssistantPage() {
  const { user } = useAuth();
  if (!can.market(user?.role)) return <EmptyState title="Marketing roles only">The marketing assistant is for marketers, approvers and admins.</EmptyState>;
  return <AssistantChat />;
}

function AssistantChat() {
  const [session, setSession] = useState<AssistantSession | null>(null);
  const [lines, setLines] = useState<Line[]>([]);
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [connected, setConnected] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [text, setText] = useState('');
  const socket = useRef<LiveSocket | null>(null);
  const logRef = useRef<HTMLOListElement>(null);

  const append = useCallback((line: Line) => {
    setLines((all) => {
      const at = all.findIndex((l) => l.id === line.id);
      if (at >= 0) return all.map((l, i) => (i === at ? { ...l, ...line, citations: line.citations ?? l.citations } : l));
      // The stored question replaces its optimistic copy.
      const copy = line.author === 'contact' ? all.findIndex((l) => l.id.startsWith(OPTIMISTIC) && l.text === line.text) : -1;
      return copy >= 0 ? all.map((l, i) => (i === copy ? line : l)) : [...all, line];
    });
  }, []);

  const open = useCallback(
    async (restart = false) => {
      socket.current?.close();
      socket.current = null;
      setConnected(false);
      setProblem(null);
      setDrafts({});
      try {
        const s = await api.post<AssistantSession>('/v1/assistant/conversations', restart ? { restart: true } : {});
        setSession(s);
        setLines(s.messages.map(lineOf));
        socket.current = liveSocket(`/v1/chat?token=${encodeURIComponent(s.token)}`, {
          onOpen: () => setConnected(true),
          onDisconnect: () => setConnected(false),
          fatalCodes: [4401],
          onMessage: (frame) => {
            if (frame.type === 'message') {
              append(lineOf(frame.message));
              if (frame.message.author !== 'contact') {
                setDrafts({});
                setBusy(false);
              }
            } else if (frame.type === 'history') {
              for (const m of frame.messages ?? []) append(lineOf(m));
            } else if (frame.type === 'delta') {
              setDrafts((d) => ({ ...d, [frame.streamKey]: (frame.reset ? '' : (d[frame.streamKey] ?? '')) + frame.delta }));
            } else if (frame.type === 'reset') {
              setDrafts((d) => ({ ...d, [frame.streamKey]: '' }));
            } else if (frame.type === 'error') {
              setProblem(frame.error?.message ?? 'The question could not be answered');
              setBusy(false);
            }
          },
        });
      } catch (err) {
        setProblem((err as Error).message);
      }
    },
    [append],
  );

  useEffect(() => {
    void open();
    return () => socket.current?.close();
  }, [open]);
  useEffect(() => {
    logRef.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [lines, drafts]);

  const ask = async (question: string) => {
    const q = question.trim();
    if (!q || !session || busy) return;
    const clientId = `${OPTIMISTIC}${crypto.randomUUID()}`;
    append({ id: clientId, author: 'contact', text: q });
    setText('');
    setProblem(null);
    setBusy(true);
    // Streamed over the socket when it is open; otherwise the answer comes back from the request.
    if (socket.current?.send({ text: q, clientId })) return;
    try {
      const { replies } = await api.post<{ replies: Line[] }>(`/v1/assistant/conversations/${session.conversationId}/messages`, { text: q, idempotencyKey: clientId });
      for (const r of replies) append(lineOf({ ...r, author: r.author ?? 'bot' }));
    } catch (err) {
      setProblem((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void ask(text);
  };

  return (
    <div className="page assistant-page">
      <div className="page-head">
        <h1>Marketing assistant</h1>
        <span className="pg-muted" role="status">
          {session ? (connected ? 'Connected' : 'Connecting…') : 'Starting…'}
        </span>
        <Button onClick={() => void open(true)} disabled={!session}>
          New conversation
        </Button>
      </div>
      {session && !session.modelConfigured && (
        <div className="assistant-offline" role="note">
          <Badge tone="warning">No model</Badge> No language model is configured, so I answer the questions my tools answer directly: figures and lists. Explaining why, or advising,
          needs a model (Settings → Language model). Try:
          <div className="assistant-examples">
            {session.offlineExamples.map((example) => (
              <button key={example} type="button" className="assistant-example" onClick={() => void ask(example.replace(/ \(.*\)$/, '').split(' / ')[0]!)}>
                {example}
              </button>
            ))}
          </div>
        </div>
      )}
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      {lines.length === 0 && !Object.values(drafts).some(Boolean) ? (
        <EmptyState title="Ask about your marketing">
          “How did last week’s promo do?”, “Draft an Instagram post for Friday’s live music”, “Why did my grade drop?” — answers use your own figures and cite them.
        </EmptyState>
      ) : (
        <ol className="assistant-log" ref={logRef} aria-label="Assistant conversation" aria-live="polite">
          {lines.map((l) => {
            const figures = l.citations?.filter(isFigure) ?? [];
            return (
              <li key={l.id} className={`assistant-turn assistant-${l.author === 'contact' ? 'question' : 'answer'}`}>
                <div className="assistant-msg">{l.text}</div>
                {figures.length > 0 && (
                  <aside className="assistant-figures" aria-label="Figures used">
                    <div className="assistant-figures-title">Figures used</div>
                    <ul>
                      {figures.map((c, i) => (
                        <li key={i}>
                          <strong>{c.document}</strong>
                          {c.section && <span>{c.section}</span>}
                        </li>
                      ))}
                    </ul>
                  </aside>
                )}
              </li>
            );
          })}
          {Object.entries(drafts)
            .filter(([, t]) => t)
            .map(([k, t]) => (
              <li key={k} className="assistant-turn assistant-answer assistant-streaming">
                <div className="assistant-msg">{t}</div>
              </li>
            ))}
        </ol>
      )}
      <form className="assistant-form" onSubmit={submit}>
        <Input aria-label="Question" value={text} onChange={(e) => setText(e.target.value)} placeholder="Ask about your figures, campaigns, menu or grade…" disabled={!session} />
        <Button type="submit" variant="primary" disabled={!session || busy || !text.trim()}>
          {busy ? 'Answering…' : 'Ask'}
        </Button>
      </form>
    </div>
  );
}
