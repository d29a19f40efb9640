/** The builder's pure parts: undo history, variables in scope, the export format, node ids. */
import { describe, expect, it } from 'vitest';
import { parseFlowFile } from '../../console/src/builder/exportImport';
import { EditHistory } from '../../console/src/builder/history';
import { uniqueId } from '../../console/src/builder/document';
import { upstreamVariables } from '../../console/src/builder/variables';
import type { FlowEdge, FlowNode } from '../../console/src/graph/model';

const node = (id: string, type: string, config: Record<string, unknown> = {}): FlowNode => ({ id, type, position: { x: 0, y: 0 }, data: { config } });
const edge = (source: string, target: string, sourceHandle = 'next'): FlowEdge => ({ id: `${source}-${target}`, source, target, sourceHandle });

describe('EditHistory', () => {
  it('undoes and redoes snapshots, and a new edit drops the redo branch', () => {
    const h = new EditHistory<{ nodes: number[]; edges: number[] }>({ nodes: [0], edges: [] });
    h.commit({ nodes: [1], edges: [] });
    h.commit({ nodes: [2], edges: [] });
    expect(h.undo()?.nodes).toEqual([1]);
    expect(h.undo()?.nodes).toEqual([0]);
    expect(h.undo()).toBeNull();
    expect(h.redo()?.nodes).toEqual([1]);
    h.commit({ nodes: [9], edges: [] });
    expect(h.canRedo).toBe(false);
    expect(h.undo()?.nodes).toEqual([1]);
  });

  it('merges edits with the same key made within a second into one step', () => {
    const h = new EditHistory<{ nodes: string[]; edges: never[] }>({ nodes: [''], edges: [] });
    for (const text of ['H', 'He', 'Hel', 'Hello']) h.commit({ nodes: [text], edges: [] }, 'config:a');
    h.commit({ nodes: ['Hello!'], edges: [] }, 'config:b');
    expect(h.undo()?.nodes).toEqual(['Hello']);
    expect(h.undo()?.nodes).toEqual(['']);
  });
});

describe('upstreamVariables', () => {
  it('lists variables set by nodes that can run before this one, plus the starting variables', () => {
    const nodes = [
      node('start', 'start'),
      node('askName', 'ask', { prompt: 'Name?', variable: 'name' }),
      node('lookup', 'httpRequest', { url: 'https://x', responseMapping: { orderId: 'body.id', total: 'body.total' } }),
      node('ai', 'llmReply', { saveAs: 'answer' }),
      node('side', 'setVariable', { variable: 'elsewhere', value: 'x' }),
      node('say', 'sendMessage', { text: 'Hi' }),
    ];
    const edges = [edge('start', 'askName'), edge('askName', 'lookup'), edge('lookup', 'ai'), edge('ai', 'say'), edge('start', 'side'), edge('say', 'askName', 'loop')];
    // `message` is the contact's last message, which the start node offers every node after it.
    expect(upstreamVariables('say', nodes, edges, { locale: 'nl' })).toEqual(['answer', 'locale', 'message', 'name', 'orderId', 'total']);
    expect(upstreamVariables('askName', nodes, edges)).toEqual(['answer', 'message', 'name', 'orderId', 'total']); // through the loop back
    expect(upstreamVariables('start', nodes, edges)).toEqual([]);
  });
});

describe('parseFlowFile', () => {
  const graph = { nodes: [{ id: 'start', type: 'start', data: {} }], edges: [] };

  it('reads an export and a bare graph', () => {
    expect(parseFlowFile(JSON.stringify({ format: 'switchboard.flow', version: 1, name: 'Leads', graph }), 'x.json')).toMatchObject({ name: 'Leads', graph });
    expect(parseFlowFile(JSON.stringify(graph), 'front-desk.json')).toMatchObject({ name: 'front-desk', graph });
  });

  it('says what is wrong with a bad file', () => {
    expect(() => parseFlowFile('{', 'a.json')).toThrow('not JSON');
    expect(() => parseFlowFile('{"name":"x"}', 'a.json')).toThrow('no graph');
    expect(() => parseFlowFile(JSON.stringify({ graph: { nodes: [{ id: 'bad id!', type: 'start' }], edges: [] } }), 'a.json')).toThrow(/nodes\.0\.id/);
  });
});

it('uniqueId numbers ids per type and skips taken ones', () => {
  expect(uniqueId('ask', new Set(['ask-1', 'ask-2']))).toBe('ask-3');
  expect(uniqueId('e-start-next', new Set())).toBe('e-start-next-1');
  expect(uniqueId('???', new Set())).toBe('node-1');
});
