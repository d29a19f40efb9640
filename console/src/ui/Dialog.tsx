/**
 * Modal dialog: focus moves in on open, Tab cycles inside, Escape closes, and focus returns to
 * whatever had it before.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { Button } from './Button';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export interface DialogProps {
  title: ReactNode;
  open: boolean;
  onClose: () => void;
  children?: ReactNode;
  footer?: ReactNode;
}

export function Dialog({ title, open, onClose, children, footer }: DialogProps) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  // What had focus when the dialog opened, read while rendering: by the time effects run, a
  // field with `autoFocus` inside the dialog has already taken it.
  const opener = useRef<HTMLElement | null>(null);
  if (!open) opener.current = null;
  else if (opener.current === null && typeof document !== 'undefined') opener.current = document.activeElement as HTMLElement | null;

  useEffect(() => {
    if (!open) return;
    const previous = opener.current;
    const box = ref.current!;
    // Keep the focus a field took with `autoFocus`; otherwise the first control gets it.
    if (!box.contains(document.activeElement)) (box.querySelector<HTMLElement>('[autofocus], ' + FOCUSABLE) ?? box).focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        closeRef.current();
      } else if (e.key === 'Tab') {
        const items = [...box.querySelectorAll<HTMLElement>(FOCUSABLE)];
        if (items.length === 0) return e.preventDefault();
        const [head, tail] = [items[0], items[items.length - 1]];
        if (e.shiftKey && document.activeElement === head) {
          e.preventDefault();
          tail.focus();
        } else if (!e.shiftKey && document.activeElement === tail) {
          e.preventDefault();
          head.focus();
        }
      }
    };
    box.addEventListener('keydown', onKey);
    return () => {
      box.removeEventListener('keydown', onKey);
      previous?.focus?.();
    };
  }, [open]);

  if (!open) return null;
  return createPortal(
    <div className="dialog-overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} ref={ref} tabIndex={-1}>
        <div className="dialog-head">
          <h2 id={titleId}>{title}</h2>
          <Button variant="ghost" size="sm" aria-label="Close" onClick={onClose}>
            ✕
          </Button>
        </div>
        <div className="dialog-body">{children}</div>
        {footer && <div className="dialog-foot">{footer}</div>}
      </div>
    </div>,
    document.body,
  );
}

/** The usual footer: Cancel, then the action the dialog is for. */
export function DialogActions({ label, onCancel, onAction, disabled, danger }: { label: string; onCancel: () => void; onAction: () => void; disabled?: boolean; danger?: boolean }) {
  return (
    <>
      <Button onClick={onCancel}>Cancel</Button>
      <Button variant={danger ? 'danger' : 'primary'} onClick={onAction} disabled={disabled}>
        {label}
      </Button>
    </>
  );
}

export interface ConfirmDialogProps {
  title: ReactNode;
  open: boolean;
  message?: ReactNode;
  confirmLabel?: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog({ title, open, message, confirmLabel = 'Confirm', danger, busy, onConfirm, onCancel }: ConfirmDialogProps) {
  return (
    <Dialog title={title} open={open} onClose={onCancel} footer={<DialogActions label={confirmLabel} danger={danger} disabled={busy} onCancel={onCancel} onAction={onConfirm} />}>
      {message}
    </Dialog>
  );
}
