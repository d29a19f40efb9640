/** A secret the server shows only once (an API key, a webhook signing secret): displayed with a copy button. */
import type { ReactNode } from 'react';
import { Button, Dialog, Field, Input, useToast } from '../../ui';

export function ShownOnceDialog({ title, label, value, onClose, children }: { title: string; label: string; value: string | null; onClose: () => void; children: ReactNode }) {
  const toast = useToast();
  const copy = async () => {
    if (!value) return;
    try {
      await navigator.clipboard.writeText(value);
      toast.success(`${label} copied to the clipboard`);
    } catch {
      // Clipboard access needs a secure context or permission: select it for a manual copy.
      const input = document.querySelector<HTMLInputElement>('input[data-shown-once]');
      input?.select();
      toast.info('Press Ctrl+C (⌘C) to copy the selected value');
    }
  };
  return (
    <Dialog
      title={title}
      open={value !== null}
      onClose={onClose}
      footer={
        <Button variant="primary" onClick={onClose}>
          I have stored it
        </Button>
      }
    >
      {children}
      <Field label={label}>
        <div className="st-key">
          <Input readOnly value={value ?? ''} onFocus={(e) => e.target.select()} data-shown-once />
          <Button onClick={() => void copy()}>Copy</Button>
        </div>
      </Field>
    </Dialog>
  );
}
