/**
 * Node types from the catalogue, grouped by category. Drag one onto the canvas, or press Enter on
 * it to drop it in the middle of the view (keyboard users).
 */
import { memo } from 'react';
import { CATALOGUE } from '../graph/model';

export const DRAG_MIME = 'application/x-switchboard-node';

const CATEGORIES = [
  { id: 'flow', label: 'Flow' },
  { id: 'messaging', label: 'Messaging' },
  { id: 'logic', label: 'Logic' },
  { id: 'ai', label: 'AI' },
  { id: 'integration', label: 'Integrations' },
  { id: 'voice', label: 'Voice' },
] as const;

export const Palette = memo(function Palette({ onAdd, disabled }: { onAdd: (type: string) => void; disabled?: boolean }) {
  return (
    <aside className="palette" aria-label="Node palette">
      {CATEGORIES.map((cat) => {
        const defs = CATALOGUE.filter((d) => d.category === cat.id);
        if (defs.length === 0) return null;
        return (
          <div key={cat.id} className="palette-group">
            <h3>{cat.label}</h3>
            <ul>
              {defs.map((d) => (
                <li key={d.type}>
                  <button
                    type="button"
                    className={`palette-item fnode-${d.category}`}
                    draggable={!disabled}
                    disabled={disabled}
                    data-node-type={d.type}
                    title={d.description}
                    aria-label={`Add ${d.label}`}
                    onDragStart={(e) => {
                      e.dataTransfer.setData(DRAG_MIME, d.type);
                      e.dataTransfer.effectAllowed = 'move';
                    }}
                    onClick={() => onAdd(d.type)}
                  >
                    {d.label}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </aside>
  );
});
