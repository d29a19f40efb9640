/**
 * A text control that knows the variables in scope. In templates, typing `{{` opens suggestions
 * (arrows + Enter/Tab pick one, Escape closes); in expressions the bare name is offered as you type
 * a word. The chips below insert a variable at the caret.
 */
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { Input, Textarea } from '../ui';

export interface VariableTextInputProps {
  value: string;
  onChange: (value: string) => void;
  variables: string[];
  /** `template`: inserts `{{name}}`; `expression`: inserts `name`. */
  mode: 'template' | 'expression';
  multiline?: boolean;
  placeholder?: string;
}

const TRIGGER = { template: /\{\{\s*([A-Za-z0-9_.]*)$/, expression: /(?:^|[^A-Za-z0-9_."])([A-Za-z_][A-Za-z0-9_.]*)$/ };

export function VariableTextInput({ value, onChange, variables, mode, multiline, placeholder }: VariableTextInputProps) {
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const listId = useId();
  const [query, setQuery] = useState<{ text: string; start: number } | null>(null);
  const [index, setIndex] = useState(0);
  const matches = query ? variables.filter((v) => v.toLowerCase().startsWith(query.text.toLowerCase()) && v !== query.text).slice(0, 8) : [];
  const open = matches.length > 0;

  const refresh = (text: string, caret: number) => {
    const m = TRIGGER[mode].exec(text.slice(0, caret));
    setQuery(m ? { text: m[1], start: caret - m[1].length } : null);
    setIndex(0);
  };

  const insertAt = (name: string, start: number, end: number) => {
    const closing = mode === 'template' && !value.slice(end).trimStart().startsWith('}}') ? '}}' : '';
    const prefix = mode === 'template' && start === end && !value.slice(0, start).endsWith('{{') ? '{{' : '';
    const next = value.slice(0, start) + prefix + name + closing + value.slice(end);
    onChange(next);
    setQuery(null);
    const caret = start + prefix.length + name.length + closing.length;
    requestAnimationFrame(() => ref.current?.setSelectionRange(caret, caret));
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (!open || !query) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setIndex((i) => (i + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      insertAt(matches[index], query.start, query.start + query.text.length);
    } else if (e.key === 'Escape') {
      e.stopPropagation();
      setQuery(null);
    }
  };

  const common = {
    ref,
    value,
    placeholder,
    role: 'combobox',
    'aria-autocomplete': 'list' as const,
    'aria-expanded': open,
    'aria-controls': open ? listId : undefined,
    'aria-activedescendant': open ? `${listId}-${index}` : undefined,
    onKeyDown,
    onBlur: () => setTimeout(() => setQuery(null), 150),
    onChange: (e: { target: { value: string; selectionStart: number | null } }) => {
      onChange(e.target.value);
      refresh(e.target.value, e.target.selectionStart ?? e.target.value.length);
    },
  };

  return (
    <div className="var-input">
      {multiline ? <Textarea {...common} rows={3} /> : <Input {...common} />}
      {open && (
        <ul className="var-suggestions" role="listbox" id={listId}>
          {matches.map((m, i) => (
            <li
              key={m}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === index}
              onMouseDown={(e) => {
                e.preventDefault();
                insertAt(m, query!.start, query!.start + query!.text.length);
              }}
            >
              {m}
            </li>
          ))}
        </ul>
      )}
      {variables.length > 0 && (
        <div className="var-chips" aria-label="Insert a variable">
          {variables.slice(0, 12).map((v) => (
            <button
              key={v}
              type="button"
              className="var-chip"
              onClick={() => {
                const el = ref.current;
                const start = el?.selectionStart ?? value.length;
                insertAt(v, start, el?.selectionEnd ?? start);
              }}
            >
              {mode === 'template' ? `{{${v}}}` : v}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
