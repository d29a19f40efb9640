/**
 * Button actions and form submissions: which one is running (to disable its buttons), and where its
 * failure goes — a toast for row actions, the fields the API named for forms.
 */
import { useCallback, useRef, useState, type FormEvent } from 'react';
import { useToast } from '../../ui';
import { errorMessage, useFormErrors } from './errors';

/** Runs one task at a time under a key (e.g. the row's id) and hands its failure to `onError` (or the run's own). */
export function useAsyncAction(onError: (err: unknown) => void) {
  const [pending, setPending] = useState<string | null>(null);
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;
  const run = useCallback(async (key: string, task: () => Promise<unknown>, onTaskError?: (err: unknown) => void) => {
    setPending(key);
    try {
      await task();
    } catch (err) {
      (onTaskError ?? onErrorRef.current)(err);
    } finally {
      setPending(null);
    }
  }, []);
  return { pending, busy: pending !== null, run };
}

/** `useAsyncAction` whose failures show as an error toast. */
export function useToastAction() {
  const toast = useToast();
  return useAsyncAction((err) => toast.error(errorMessage(err)));
}

/** A field to mark and why, when a form is not ready to send. */
export type Invalid = readonly [field: string, message: string];

export interface SubmitOptions {
  /** Checked before sending: a returned field is marked and nothing is sent. */
  validate?: () => Invalid | null | undefined;
  /** Replaces the default failure handling (`capture`: onto the named field, else form-level). */
  onError?: (err: unknown) => void;
}

/**
 * A form submission: clears the previous errors, validates, then runs `send`; an ApiError naming
 * one of `fields` lands on that field, any other failure becomes the form-level error.
 */
export function useSubmit(fields: readonly string[], send: () => Promise<unknown>, opts: SubmitOptions = {}) {
  const formErrors = useFormErrors(fields);
  const action = useAsyncAction((err) => (opts.onError ?? formErrors.capture)(err));
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    formErrors.clear();
    const invalid = opts.validate?.();
    if (invalid) return formErrors.setField(invalid[0], invalid[1]);
    await action.run('submit', send);
  };
  return { ...formErrors, busy: action.busy, submit };
}
