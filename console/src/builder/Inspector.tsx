/**
 * Settings of the selected node (a form generated from its catalogue schema, errors per field,
 * variables from upstream nodes), or of the flow itself when nothing is selected.
 */
import { memo, useMemo, useState } from 'react';
import { z } from 'zod';
import { flowSettingsSchema } from '../../../core/graph/schema';
import { definitionOf, type FlowNode } from '../graph/model';
import { Badge, Button, Field, Input } from '../ui';
import { SchemaForm, type JsonSchema } from './SchemaForm';
import type { FlowEditor } from './useFlowEditor';
import { upstreamVariables } from './variables';

const schemaCache = new Map<string, JsonSchema>();
function jsonSchemaOf(key: string, schema: z.ZodType): JsonSchema {
  let cached = schemaCache.get(key);
  if (!cached) {
    cached = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    schemaCache.set(key, cached);
  }
  return cached;
}

/** zod issues of the node's data, by field path (first message wins). */
function fieldErrors(schema: z.ZodType, config: Record<string, unknown>): Record<string, string> {
  const result = schema.safeParse(config);
  const errors: Record<string, string> = {};
  if (result.success) return errors;
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join('.');
    if (!key || errors[key]) continue;
    errors[key] = issue.code === 'invalid_type' && /received undefined/.test(issue.message) ? 'Required' : issue.message;
  }
  return errors;
}

interface InspectorProps {
  editor: FlowEditor;
  node: FlowNode | null;
  readOnly: boolean;
}

/** Moving a node changes its position only: the form re-renders when its data, the graph's structure or the settings change. */
const sameInspector = (a: InspectorProps, b: InspectorProps) =>
  a.readOnly === b.readOnly && a.node?.id === b.node?.id && a.node?.data === b.node?.data && a.editor.structure === b.editor.structure && a.editor.settings === b.editor.settings;

export const Inspector = memo(function Inspector({ editor, node, readOnly }: InspectorProps) {
  if (!node) return <FlowSettingsForm editor={editor} readOnly={readOnly} />;
  return <NodeForm key={node.id} editor={editor} node={node} readOnly={readOnly} />;
}, sameInspector);

function NodeForm({ editor, node, readOnly }: { editor: FlowEditor; node: FlowNode; readOnly: boolean }) {
  const def = definitionOf(node.type);
  const [idDraft, setIdDraft] = useState(node.id);
  const [idError, setIdError] = useState<string | null>(null);
  const variables = useMemo(
    () => upstreamVariables(node.id, editor.nodes, editor.edges, (editor.settings.variables as Record<string, unknown>) ?? {}),
    // Positions do not change what is upstream; recompute on edits only.
    [node.id, editor.structure],
  );
  if (!def) return <p className="field-error">Unknown node type “{node.type}”: delete this node or fix the type in the JSON.</p>;

  const schema = jsonSchemaOf(def.type, def.data);
  const errors = fieldErrors(def.data, node.data.config);
  const graphErrors = (node.data.errors ?? []).filter((m) => !Object.keys(errors).some((k) => m.includes(`${k}`)));

  const applyId = () => {
    if (idDraft === node.id) return;
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(idDraft)) return setIdError('1-64 letters, digits, _ or -');
    if (!editor.renameNode(node.id, idDraft)) return setIdError('another node has this id');
    setIdError(null);
  };

  return (
    <div className="inspector" aria-label={`${def.label} settings`}>
      <div className="inspector-head">
        <h2>{def.label}</h2>
        <Badge tone="info">{def.category}</Badge>
      </div>
      <p className="field-help">{def.description}</p>
      <Field label="Node id" help="Used in run histories and exports." error={idError}>
        <Input value={idDraft} disabled={readOnly} onChange={(e) => setIdDraft(e.target.value)} onBlur={applyId} onKeyDown={(e) => e.key === 'Enter' && applyId()} />
      </Field>
      {graphErrors.length > 0 && (
        <ul className="inspector-problems" aria-label="Problems with this node">
          {graphErrors.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
      <fieldset disabled={readOnly} className="form-plain">
        <SchemaForm
          schema={schema}
          value={node.data.config}
          onChange={(config) => editor.updateConfig(node.id, config)}
          errors={errors}
          variables={variables}
          kinds={{ templates: def.templateFields ?? [], expressions: def.expressionFields ?? [], longText: def.longTextFields, references: def.references }}
        />
      </fieldset>
      <datalist id="known-variables">
        {variables.map((v) => (
          <option key={v} value={v} />
        ))}
      </datalist>
      {!readOnly && (
        <Button variant="danger" size="sm" onClick={() => editor.onNodesChange([{ type: 'remove', id: node.id }])}>
          Delete node
        </Button>
      )}
    </div>
  );
}

function FlowSettingsForm({ editor, readOnly }: { editor: FlowEditor; readOnly: boolean }) {
  const schema = jsonSchemaOf('@settings', flowSettingsSchema);
  const errors = fieldErrors(flowSettingsSchema, editor.settings as Record<string, unknown>);
  return (
    <div className="inspector" aria-label="Flow settings">
      <div className="inspector-head">
        <h2>Flow settings</h2>
      </div>
      <p className="field-help">Select a node to edit it. These settings apply to the whole flow.</p>
      <fieldset disabled={readOnly} className="form-plain">
        <SchemaForm schema={schema} value={editor.settings as Record<string, unknown>} onChange={(s) => editor.updateSettings(s)} errors={errors} variables={[]} kinds={{ templates: [], expressions: [], longText: ['errorMessage'] }} />
      </fieldset>
    </div>
  );
}
