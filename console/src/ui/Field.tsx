/**
 * Form controls. `Field` owns the label, help and error texts and hands their ids to the control it
 * wraps through context, so every control is labelled and described without wiring ids by hand.
 */
import { createContext, useContext, useId, type AriaAttributes, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';

interface FieldIds {
  id: string;
  describedBy?: string;
  invalid: boolean;
}
const FieldContext = createContext<FieldIds | null>(null);

export interface FieldProps {
  label: ReactNode;
  help?: ReactNode;
  error?: ReactNode;
  children: ReactNode;
  className?: string;
}

export function Field({ label, help, error, children, className }: FieldProps) {
  const id = useId();
  const helpId = help ? `${id}-help` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [helpId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <FieldContext.Provider value={{ id, describedBy, invalid: Boolean(error) }}>{children}</FieldContext.Provider>
      {help && (
        <span className="field-help" id={helpId}>
          {help}
        </span>
      )}
      {error && (
        <span className="field-error" id={errorId} role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

/** id / aria attributes from the enclosing Field, unless the caller set its own. */
function useFieldProps(props: Pick<AriaAttributes, 'aria-describedby' | 'aria-invalid'> & { id?: string }) {
  const field = useContext(FieldContext);
  return {
    id: props.id ?? field?.id,
    'aria-describedby': props['aria-describedby'] ?? field?.describedBy,
    'aria-invalid': props['aria-invalid'] ?? (field?.invalid || undefined),
  };
}

export function Input(props: InputHTMLAttributes<HTMLInputElement>) {
  const { className, ...rest } = props;
  return <input className={`control${className ? ` ${className}` : ''}`} {...rest} {...useFieldProps(props)} />;
}

export function Textarea(props: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const { className, ...rest } = props;
  return <textarea className={`control${className ? ` ${className}` : ''}`} {...rest} {...useFieldProps(props)} />;
}

export interface SelectProps extends SelectHTMLAttributes<HTMLSelectElement> {
  options?: readonly (string | { value: string; label: string; disabled?: boolean })[];
}

export function Select({ options, children, className, ...rest }: SelectProps) {
  const aria = useFieldProps(rest);
  return (
    <select className={`control${className ? ` ${className}` : ''}`} {...rest} {...aria}>
      {options?.map((o) => {
        const { value, label, disabled } = typeof o === 'string' ? { value: o, label: o, disabled: false } : o;
        return (
          <option key={value} value={value} disabled={disabled}>
            {label}
          </option>
        );
      })}
      {children}
    </select>
  );
}

export interface CheckboxProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'type'> {
  label: ReactNode;
}

/** A checkbox carries its own label (inside a Field the Field's label names the group). */
export function Checkbox({ label, className, ...rest }: CheckboxProps) {
  const field = useContext(FieldContext);
  return (
    <label className={`checkbox${className ? ` ${className}` : ''}`}>
      <input type="checkbox" aria-describedby={field?.describedBy} {...rest} />
      <span>{label}</span>
    </label>
  );
}
