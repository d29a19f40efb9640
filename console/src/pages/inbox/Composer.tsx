/**
 * The agent's reply box. Typing "/" and a shortcut offers matching canned responses (arrow keys,
 * Enter or Tab to insert, Escape to dismiss); Enter sends, Shift+Enter starts a new line.
 */
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { Button, Field, Textarea } from '../../ui';
import { useAgentTyping } from './useAgentTyping';
import type { CannedResponse } from './types';

interface ComposerProps {
  conversationId: string;
  canned: CannedResponse[];
  disabled: boolean;
  disabledReason?: string;
  onSend: (text: string) => Promise<boolean>;
  onOpenCanned: () => void;
  /** Text inserted from the canned-responses dialog. */
  text: string;
  onTextChange: (text: string) => void;
  error?: string;
}

const MAX_SUGGESTIONS = 8;

export function Composer({ conversationId, canned, disabled, disabledReason, onSend, onOpenCanned, text, onTextChange, error }: ComposerProps) {
  const listId = useId();
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const typing = useAgentTyping(conversationId, !disabled);

  const slash = /^\/([A-Za-z0-9_-]*)$/.exec(text)?.[1];
  const suggestions = useMemo(() => {
    if (slash === undefined || dismissed === text) return [];
    const q = slash.toLowerCase();
    return canned.filter((c) => c.shortcut.toLowerCase().startsWith(q)).slice(0, MAX_SUGGESTIONS);
  }, [slash, canned, dismissed, text]);
  const open = suggestions.length > 0;
  const current = Math.min(active, suggestions.length - 1);

  const change = (value: string) => {
    onTextChange(value);
    setActive(0);
    typing.keystroke(value);
  };

  const pick = (c: CannedResponse) => {
    onTextChange(c.text);
    typing.keystroke(c.text);
  };

  const send = async () => {
    const value = text.trim();
    if (!value || sending || disabled) return;
    setSending(true);
    typing.stop();
    try {
      if (await onSend(value)) onTextChange('');
    } finally {
      setSending(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (open) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const delta = e.key === 'ArrowDown' ? 1 : -1;
        setActive((current + delta + suggestions.length) % suggestions.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        pick(suggestions[current]);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setDismissed(text);
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      void send();
    }
  };

  return (
    <div className="ib-composer">
      {open && (
        <ul className="ib-suggest" id={listId} role="listbox" aria-label="Canned responses">
          {suggestions.map((c, i) => (
            <li
              key={c.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === current}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(c);
              }}
            >
              <span className="pg-mono">/{c.shortcut}</span> <span className="pg-muted">{c.text}</span>
            </li>
          ))}
        </ul>
      )}
      <Field label="Reply" help={disabled ? disabledReason : 'Enter sends, Shift+Enter adds a line, “/” inserts a canned response.'} error={error}>
        <Textarea
          rows={3}
          value={text}
          disabled={disabled}
          onChange={(e) => change(e.target.value)}
          onKeyDown={onKeyDown}
          onBlur={() => typing.stop()}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={open ? listId : undefined}
          aria-activedescendant={open ? `${listId}-${current}` : undefined}
        />
      </Field>
      <div className="pg-row pg-row-between">
        <Button size="sm" variant="ghost" onClick={onOpenCanned}>
          Canned responses…
        </Button>
        <Button variant="primary" onClick={() => void send()} disabled={disabled || sending || !text.trim()}>
          Send
        </Button>
      </div>
    </div>
  );
}
