/**
 * A form generated from a node's JSON Schema (zod's `z.toJSONSchema` of the catalogue schema):
 * enums become selects, booleans checkboxes, string lists one-per-line text, string maps key/value
 * rows, nested objects fieldsets, fields the node marks as references a picker of those records;
 * anything else is edited as JSON. Descriptions become help text.
 */
import { useEffect, useState } from 'react';
import type { ReferenceKind } from '../../../core/nodes/define';
import { Button, Checkbox, Field, Input, Select, Textarea } from '../ui';
import { REFERENCE_LABELS, REFERENCE_PICKERS } from './ReferencePicker';
import { VariableTextInput } from './VariableTextInput';

export interface JsonSchema {
  type?: string;
  enum?: string[];
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  maxLength?: number;
}

/** Fields holding `{{variable}}` templates, expressions over variables, long text, or ids of tenant records, per node type. */
export interface FieldKinds {
  templates: readonly string[];
  expressions: readonly string[];
  longText?: readonly string[];
  references?: Readonly<Record<string, ReferenceKind>>;
}

export interface SchemaFormProps {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  errors: Record<string, string>;
  variables: string[];
  kinds: FieldKinds;
  /** Prefix of error keys for nested objects. */
  path?: string;
}

export const humanize = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase()).replace(/\bIds\b/, 'IDs').replace(/\bMs\b/, '(ms)');

export function SchemaForm({ schema, value, onChange, errors, variables, kinds, path = '' }: SchemaFormProps) {
  const props = Object.entries(schema.properties ?? {});
  if (props.length === 0) return <p className="field-help">This node has no settings.</p>;
  const set = (key: string, v: unknown) => {
    const next = { ...value };
    if (v === undefined) delete next[key];
    else next[key] = v;
    onChange(next);
  };
  return (
    <>
      {props.map(([key, prop]) => {
        const errorKey = path + key;
        const label = (
          <>
            {humanize(key)}
            {schema.required?.includes(key) && <span aria-hidden="true"> *</span>}
          </>
        );
        const help = [prop.description, prop.default !== undefined && typeof prop.default !== 'object' ? `Default: ${String(prop.default)}` : null].filter(Boolean).join(' · ') || undefined;
        const common = { label, help, error: errors[errorKey] };
        const current = value[key];

        // Before the plain string and array inputs: a field naming records by id gets their picker.
        const reference = kinds.references?.[key];
        if (reference && (prop.type === 'array' || prop.type === 'string')) {
          const Picker = REFERENCE_PICKERS[reference];
          const many = prop.type === 'array';
          const ids = Array.isArray(current) ? (current as string[]) : typeof current === 'string' ? [current] : [];
          // An item's own issue (`knowledgeBaseIds.0`) is shown on the whole picker.
          const error = errors[errorKey] ?? Object.entries(errors).find(([k]) => k.startsWith(`${errorKey}.`))?.[1];
          return (
            <Picker
              key={key}
              label={REFERENCE_LABELS[reference]}
              help={prop.description}
              error={error}
              value={ids}
              onChange={(next) => set(key, many ? (next.length ? next : undefined) : next.at(-1))}
            />
          );
        }
        if (prop.type === 'boolean') {
          return (
            <Field key={key} {...common}>
              <Checkbox label={humanize(key)} checked={current === undefined ? Boolean(prop.default) : Boolean(current)} onChange={(e) => set(key, e.target.checked)} />
            </Field>
          );
        }
        if (prop.enum) {
          return (
            <Field key={key} {...common}>
              <Select value={String(current ?? prop.default ?? '')} onChange={(e) => set(key, e.target.value || undefined)} options={[...(prop.default === undefined ? [{ value: '', label: '—' }] : []), ...prop.enum]} />
            </Field>
          );
        }
        if (prop.type === 'string') {
          const text = typeof current === 'string' ? current : '';
          const placeholder = typeof prop.default === 'string' ? prop.default : undefined;
          const kind = kinds.expressions.includes(key) ? 'expression' : kinds.templates.includes(key) ? 'template' : null;
          const multiline = kinds.longText?.includes(key) || (prop.maxLength ?? 0) > 4096;
          return (
            <Field key={key} {...common}>
              {kind ? (
                <VariableTextInput value={text} mode={kind} multiline={multiline} variables={variables} placeholder={placeholder} onChange={(v) => set(key, v === '' ? undefined : v)} />
              ) : multiline ? (
                <Textarea value={text} placeholder={placeholder} onChange={(e) => set(key, e.target.value === '' ? undefined : e.target.value)} />
              ) : (
                <Input value={text} placeholder={placeholder} onChange={(e) => set(key, e.target.value === '' ? undefined : e.target.value)} list={key === 'variable' || key === 'saveAs' ? 'known-variables' : undefined} />
              )}
            </Field>
          );
        }
        if (prop.type === 'number' || prop.type === 'integer') {
          return (
            <Field key={key} {...common}>
              <Input
                type="number"
                step={prop.type === 'integer' ? 1 : 'any'}
                value={typeof current === 'number' ? String(current) : ''}
                placeholder={prop.default !== undefined ? String(prop.default) : undefined}
                onChange={(e) => set(key, e.target.value === '' ? undefined : Number(e.target.value))}
              />
            </Field>
          );
        }
        if (prop.type === 'array' && prop.items?.type === 'string') {
          return (
            <Field key={key} {...common} help={[help, 'One per line'].filter(Boolean).join(' · ')}>
              <Textarea
                value={Array.isArray(current) ? current.join('\n') : ''}
                onChange={(e) => {
                  const lines = e.target.value.split('\n');
                  set(key, e.target.value === '' ? undefined : lines);
                }}
                onBlur={(e) => {
                  const lines = e.target.value.split('\n').map((l) => l.trim()).filter(Boolean);
                  set(key, lines.length ? lines : undefined);
                }}
              />
            </Field>
          );
        }
        if (prop.type === 'object' && typeof prop.additionalProperties === 'object' && prop.additionalProperties.type === 'string' && !prop.properties) {
          return (
            <Field key={key} {...common}>
              <KeyValueEditor value={(current as Record<string, string>) ?? {}} onChange={(v) => set(key, Object.keys(v).length ? v : undefined)} name={humanize(key)} />
            </Field>
          );
        }
        if (prop.type === 'object' && prop.properties) {
          return (
            <fieldset key={key} className="form-group">
              <legend>{humanize(key)}</legend>
              {prop.description && <p className="field-help">{prop.description}</p>}
              <SchemaForm schema={prop} value={(current as Record<string, unknown>) ?? {}} onChange={(v) => set(key, Object.keys(v).length ? v : undefined)} errors={errors} variables={variables} kinds={{ templates: [], expressions: [] }} path={`${errorKey}.`} />
            </fieldset>
          );
        }
        return (
          <Field key={key} {...common} help={[help, 'JSON'].filter(Boolean).join(' · ')}>
            <JsonEditor value={current} onChange={(v) => set(key, v)} />
          </Field>
        );
      })}
    </>
  );
}

function KeyValueEditor({ value, onChange, name }: { value: Record<string, string>; onChange: (v: Record<string, string>) => void; name: string }) {
  const rows = Object.entries(value);
  const rename = (from: string, to: string) => onChange(Object.fromEntries(rows.map(([k, v]) => (k === from ? [to, v] : [k, v]))));
  return (
    <div className="kv">
      {rows.map(([k, v], i) => (
        <div className="kv-row" key={i}>
          <Input aria-label={`${name} ${i + 1} name`} value={k} onChange={(e) => rename(k, e.target.value)} />
          <Input aria-label={`${name} ${i + 1} value`} value={v} onChange={(e) => onChange({ ...value, [k]: e.target.value })} />
          <Button size="sm" variant="ghost" aria-label={`Remove ${name} ${i + 1}`} onClick={() => onChange(Object.fromEntries(rows.filter(([key]) => key !== k)))}>
            ✕
          </Button>
        </div>
      ))}
      <Button size="sm" onClick={() => onChange({ ...value, [rows.some(([k]) => k === '') ? `key${rows.length + 1}` : '']: '' })}>
        Add
      </Button>
    </div>
  );
}

/** Free JSON; applied only when it parses, so half-typed text never reaches the graph. */
function JsonEditor({ value, onChange }: { value: unknown; onChange: (v: unknown) => void }) {
  const [text, setText] = useState(() => (value === undefined ? '' : JSON.stringify(value, null, 2)));
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    setText((t) => {
      try {
        return JSON.stringify(JSON.parse(t || 'null')) === JSON.stringify(value ?? null) ? t : value === undefined ? '' : JSON.stringify(value, null, 2);
      } catch {
        return t;
      }
    });
  }, [value]);
  return (
    <>
      <Textarea
        className="mono"
        value={text}
        rows={4}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value.trim() === '') return (setProblem(null), onChange(undefined));
          try {
            onChange(JSON.parse(e.target.value));
            setProblem(null);
          } catch (err) {
            setProblem((err as Error).message);
          }
        }}
      />
      {problem && <span className="field-error">Not valid JSON yet: {problem}</span>}
    </>
  );
}
