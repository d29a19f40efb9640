/** The inspector shows each field's `.describe()` as its help: every field of every node has one. */
import { expect, it } from 'vitest';
import { z } from 'zod';
import { NODE_CATALOGUE } from '../../core/nodes';

interface Schema {
  description?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
}

/** Paths of fields without a description, nested objects and arrays of objects included. */
function undescribed(schema: Schema, path: string): string[] {
  const missing: string[] = [];
  for (const [key, field] of Object.entries(schema.properties ?? {})) {
    const at = path ? `${path}.${key}` : key;
    if (!field.description?.trim()) missing.push(at);
    for (const inner of [field, field.items, ...(field.anyOf ?? [])]) if (inner) missing.push(...undescribed(inner, at));
  }
  return missing;
}

it('describes every field of every catalogue node', () => {
  const missing = NODE_CATALOGUE.flatMap((def) => undescribed(z.toJSONSchema(def.data, { io: 'input', unrepresentable: 'any' }) as Schema, def.type));
  expect(missing).toEqual([]);
  // The walk reaches nested fields (an array of tools, an optional file).
  const llm = z.toJSONSchema(NODE_CATALOGUE.find((d) => d.type === 'llmReply')!.data, { io: 'input' }) as Schema;
  expect(undescribed({ properties: { tools: { description: 'x', items: { properties: { url: {} } } } } }, 'n')).toEqual(['n.tools.url']);
  expect(llm.properties?.tools?.items?.properties?.url?.description).toBeTruthy();
});
