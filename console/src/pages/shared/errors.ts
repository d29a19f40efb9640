/**
 * API errors → where the person sees them: next to the field the API named (ApiError.field) when
 * the form has that field, else as a form-level message.
 */
import { useCallback, useState } from 'react';
import { ApiError } from '../../api/client';

export const errorMessage = (err: unknown): string =>
  err instanceof ApiError ? err.message : err instanceof Error ? err.message : String(err);

export interface FormErrors {
  fields: Record<string, string>;
  form: string | null;
  /** The API's full field path when it points inside a list (`fallbacks.0.model`). */
  path: string | null;
}

export function useFormErrors(knownFields: readonly string[]) {
  const [errors, setErrors] = useState<FormErrors>({ fields: {}, form: null, path: null });
  const key = knownFields.join('|');

  /** Records `err`; returns true when it was attached to a field. */
  const capture = useCallback(
    (err: unknown): boolean => {
      const fields = key.split('|');
      // zod paths arrive as "a.b" or "fallbacks.0.model": the first segment names the form field.
      const field = err instanceof ApiError && err.field ? [err.field, err.field.split('.')[0]].find((f) => fields.includes(f)) : undefined;
      if (field) {
        setErrors({ fields: { [field]: errorMessage(err) }, form: null, path: (err as ApiError).field ?? null });
        return true;
      }
      setErrors({ fields: {}, form: errorMessage(err), path: null });
      return false;
    },
    [key],
  );
  const clear = useCallback(() => setErrors({ fields: {}, form: null, path: null }), []);
  const setField = useCallback((field: string, message: string) => setErrors({ fields: { [field]: message }, form: null, path: field }), []);
  /** The error for exactly this path (`fallbacks.0.model`), when the API named it. */
  const pathError = (path: string) => (errors.path === path ? Object.values(errors.fields)[0] : undefined);
  return { errors, capture, clear, setField, fieldError: (f: string) => errors.fields[f], pathError };
}
