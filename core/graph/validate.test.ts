import { describe, expect, it } from 'vitest';
import { validateGraph } from './validate';

const node = (id: string, type: string, data: Record<string, unknown> = {}) => ({ id, type, data });
const edge = (source: string, target: string, sourceHandle?: string) => ({ id: `${source}-${sourceHandle ?? 'next'}`, source, target, sourceHandle });

const good = {
  nodes: [
    node('start', 'start'),
    node('ask1', 'ask', { prompt: 'Your age?', variable: 'age', inputType: 'number' }),
    node('check', 'condition', { expression: 'age >= 18' }),
    node('adult', 'sendMessage', { text: 'Welcome {{name}}' }),
    node('end', 'end'),
  ],
  edges: [edge('start', 'ask1'), edge('ask1', 'check'), edge('check', 'adult', 'true'), edge('check', 'end', 'false'), edge('adult', 'end')],
};

const messages = (g: unknown) => validateGraph(g).errors.map((e) => e.message);

describe('validateGraph', () => {
  it('accepts a well-formed flow and applies defaults', () => {
    const r = validateGraph(good);
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
    const ask = r.graph?.nodes.find((n) => n.id === 'ask1');
    expect(ask?.type === 'ask' && ask.data.maxRetries).toBe(2);
    expect(r.graph?.settings.contextWindow).toBe(20);
  });

  it('reports node data problems in words a marketer understands', () => {
    const g = { ...good, nodes: good.nodes.map((n) => (n.id === 'ask1' ? node('ask1', 'ask', { prompt: 'Pick', variable: 'age', inputType: 'choice' }) : n)) };
    expect(messages(g)).toContain(`Node 'ask1': choices are required for inputType "choice"`);
    const noPrompt = { ...good, nodes: good.nodes.map((n) => (n.id === 'ask1' ? node('ask1', 'ask', { variable: 'age' }) : n)) };
    expect(messages(noPrompt)).toContain(`Node 'ask1': prompt is required`);
  });

  it('rejects unknown types, duplicate ids and start count', () => {
    const g = { nodes: [...good.nodes, node('x', 'teleport'), node('adult', 'end'), node('start2', 'start')], edges: good.edges };
    const r = validateGraph(g);
    expect(r.valid).toBe(false);
    expect(r.errors).toContainEqual({ nodeId: 'x', message: `Node 'x': unknown node type "teleport"` });
    expect(r.errors.map((e) => e.message)).toContain(`Node id 'adult' is used more than once`);
    expect(r.errors.map((e) => e.message)).toContain(`Node 'start2': a flow has exactly one Start node`);
    expect(messages({ nodes: [node('e', 'end')], edges: [] })).toContain('The flow needs a Start node');
  });

  it('checks wiring: dangling edges, handles, duplicates, missing required outputs', () => {
    const g = {
      nodes: good.nodes,
      edges: [...good.edges.filter((e) => e.id !== 'check-false'), edge('adult', 'ghost', 'next'), edge('ask1', 'end', 'bogus'), { id: 'start-next', source: 'ghost2', target: 'end' }],
    };
    const m = messages(g);
    expect(m).toContain(`Edge 'adult-next' points to node 'ghost', which does not exist`);
    expect(m).toContain(`Node 'adult': output 'next' is connected more than once`);
    expect(m).toContain(`Node 'ask1': no output 'bogus' (it has 'next', 'invalid', 'timeout')`);
    expect(m).toContain(`Edge id 'start-next' is used more than once`);
    expect(m).toContain(`Edge 'start-next' starts at node 'ghost2', which does not exist`);
    expect(m).toContain(`Node 'check': connect its 'false' output to the next step (or to an End node)`);
  });

  it('leaves optional handles optional', () => {
    const g = {
      nodes: [node('start', 'start'), node('h', 'handoff'), node('api', 'httpRequest', { url: 'https://x.test/{{id}}' }), node('end', 'end')],
      edges: [edge('start', 'api'), edge('api', 'h')],
    };
    expect(validateGraph(g).errors.map((e) => e.nodeId)).toEqual(['end']);
  });

  it('reports unreachable nodes', () => {
    const g = { nodes: [...good.nodes, node('orphan', 'end')], edges: good.edges };
    expect(validateGraph(g).errors).toContainEqual({ nodeId: 'orphan', message: `Node 'orphan' can never be reached from Start: connect it or delete it` });
  });

  it('compiles expressions and parses templates', () => {
    const g = {
      ...good,
      nodes: good.nodes.map((n) =>
        n.id === 'check' ? node('check', 'condition', { expression: 'age >>= 1' }) : n.id === 'adult' ? node('adult', 'sendMessage', { text: 'Hi {{#x}}' }) : n,
      ),
    };
    const r = validateGraph(g);
    expect(r.errors.find((e) => e.nodeId === 'check')?.message).toMatch(/^Node 'check': cannot read expression/);
    expect(r.errors.find((e) => e.nodeId === 'adult')?.message).toMatch(/^Node 'adult': text has a broken placeholder/);
  });

  it('reports structural problems with their path', () => {
    expect(messages({ nodes: [{ id: 'bad id!', type: 'start' }], edges: [] })[0]).toMatch(/^nodes\.0\.id: node id must be/);
  });
});
