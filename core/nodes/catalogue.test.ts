/** The catalogue is the one description of a node type: what it declares must match its own schema. */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import type { ValidNode } from '../graph/schema';
import { validateGraph } from '../graph/validate';
import { NODE_CATALOGUE, nodeDefinition, type NodeType } from '.';

interface Schema {
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  anyOf?: Schema[];
}

/** Does the data schema have a field at this dotted path (`*` = a map's values)? */
function hasField(schema: Schema | undefined, path: string[]): boolean {
  if (!schema) return false;
  if (!path.length) return true;
  const [key, ...rest] = path;
  const inner = [schema, ...(schema.anyOf ?? [])].map((s) => (key === '*' ? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined) : s.properties?.[key]));
  return inner.some((s) => hasField(s, rest));
}

describe('node catalogue', () => {
  it('names only fields and outputs each node has', () => {
    const wrong: string[] = [];
    for (const def of NODE_CATALOGUE) {
      const schema = z.toJSONSchema(def.data, { io: 'input', unrepresentable: 'any' }) as Schema;
      const fields = [...(def.templateFields ?? []), ...(def.expressionFields ?? []), ...(def.patternFields ?? []), ...(def.longTextFields ?? []), ...Object.keys(def.references ?? {})];
      for (const f of fields) if (!hasField(schema, f.split('.'))) wrong.push(`${def.type}.${f}`);
      for (const o of def.optionalOutputs ?? []) if (!def.outputs.includes(o)) wrong.push(`${def.type} output ${o}`);
    }
    expect(wrong).toEqual([]);
    expect(NODE_CATALOGUE.filter((d) => d.entry).map((d) => d.type)).toEqual(['start']);
  });

  it('derives the valid-node union from the catalogue', () => {
    expectTypeOf<ValidNode['type']>().toEqualTypeOf<NodeType>();
    expectTypeOf<Extract<ValidNode, { type: 'wait' }>['data']>().toEqualTypeOf<{ seconds: number }>();
    expect(new Set(NODE_CATALOGUE.map((d) => d.type)).size).toBe(NODE_CATALOGUE.length);
  });

  it('says which variables a node sets, from settings still being edited', () => {
    const sets = (type: string, data: Record<string, unknown>) => nodeDefinition(type)?.sets?.(data) ?? [];
    expect(sets('ask', { variable: 'name' })).toEqual(['name']);
    expect(sets('setVariable', { variable: '' })).toEqual([]);
    expect(sets('llmReply', { saveAs: 'answer' })).toEqual(['answer']);
    expect(sets('httpRequest', { responseMapping: { id: 'body.id', total: 'body.total' } })).toEqual(['id', 'total']);
    expect(sets('httpRequest', { responseMapping: 'oops' })).toEqual([]);
    expect(sets('sendMessage', { text: 'x' })).toEqual([]);
  });

  it('checks every template field it declares, map values included', () => {
    const g = {
      nodes: [
        { id: 'start', type: 'start', data: {} },
        { id: 'call', type: 'httpRequest', data: { url: 'https://x.example/{{id}}', headers: { 'X-Ok': '{{token}}', 'X-Bad': '{{#open}}' } } },
        { id: 'end', type: 'end', data: { message: 'Bye {{name' } },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'call' },
        { id: 'e2', source: 'call', target: 'end' },
      ],
    };
    expect(validateGraph(g).errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^Node 'call': headers\.X-Bad has a broken placeholder/),
      expect.stringMatching(/^Node 'end': message has a broken placeholder/),
    ]);
  });
});
