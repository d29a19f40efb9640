/** WAI-ARIA tabs: arrow keys move between tabs, only the active tab is in the Tab order. */
import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface TabItem {
  id: string;
  label: ReactNode;
  content: ReactNode;
}

export interface TabsProps {
  tabs: TabItem[];
  active: string;
  onChange: (id: string) => void;
  label?: string;
  /** Keep inactive panels mounted (hidden), e.g. a live chat that must survive switching tabs. */
  keepMounted?: boolean;
}

export function Tabs({ tabs, active, onChange, label, keepMounted }: TabsProps) {
  const base = useId();
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKey = (e: KeyboardEvent, index: number) => {
    const delta = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!delta) return;
    e.preventDefault();
    const next = (index + delta + tabs.length) % tabs.length;
    onChange(tabs[next].id);
    refs.current[next]?.focus();
  };
  const current = tabs.find((t) => t.id === active) ?? tabs[0];
  return (
    <div className="tabs">
      <div className="tabs-list" role="tablist" aria-label={label}>
        {tabs.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="tab"
            className="tab"
            id={`${base}-tab-${t.id}`}
            aria-selected={t.id === current?.id}
            aria-controls={`${base}-panel-${t.id}`}
            tabIndex={t.id === current?.id ? 0 : -1}
            onClick={() => onChange(t.id)}
            onKeyDown={(e) => onKey(e, i)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {tabs
        .filter((t) => keepMounted || t.id === current?.id)
        .map((t) => (
          <div key={t.id} className="tab-panel" role="tabpanel" hidden={t.id !== current?.id} id={`${base}-panel-${t.id}`} aria-labelledby={`${base}-tab-${t.id}`}>
            {t.content}
          </div>
        ))}
    </div>
  );
}
