/**
 * A form in a modal dialog: Cancel and a primary submit button in the footer, the form-level error
 * under the fields, and Enter in a field submitting like the button does.
 */
import type { FormEvent, ReactNode } from 'react';
import { Dialog, DialogActions } from './Dialog';

/** An error about the whole form (not one field), announced when it appears. */
export function FormError({ message }: { message?: ReactNode }) {
  if (!message) return null;
  return (
    <p className="form-error" role="alert">
      {message}
    </p>
  );
}

export interface FormDialogProps {
  title: ReactNode;
  open: boolean;
  onClose: () => void;
  onSubmit: () => void;
  submitLabel: string;
  /** Disables the submit button while the submission runs. */
  busy?: boolean;
  /** Disables the submit button for other reasons (e.g. a required field is empty). */
  submitDisabled?: boolean;
  error?: ReactNode;
  children?: ReactNode;
}

export function FormDialog({ title, open, onClose, onSubmit, submitLabel, busy, submitDisabled, error, children }: FormDialogProps) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <Dialog title={title} open={open} onClose={onClose} footer={<DialogActions label={submitLabel} disabled={busy || submitDisabled} onCancel={onClose} onAction={onSubmit} />}>
      <form onSubmit={submit} noValidate>
        {children}
        <FormError message={error} />
        {/* Enter in a field submits: a form needs a submit control for that. */}
        <button type="submit" hidden />
      </form>
    </Dialog>
  );
}
