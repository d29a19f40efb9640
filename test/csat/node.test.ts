/** The csat node's settings and edges through the graph validator: defaults, fields named in errors, the required `satisfied` edge. */
import { describe, expect, it } from 'vitest';
import { validateGraph } from '../../core/graph/validate';
import { csatNode, nodeDefinition } from '../../core/nodes';

const graph = (data: Record<string, unknown>, edges: [string, string, string?][] = [['start', 'rate'], ['rate', 'end', 'satisfied']]) =>
  validateGraph({
    nodes: [
      { id: 'start', type: 'start', data: {} },
      { id: 'rate', type: 'csat', data },
      { id: 'end', type: 'end', data: {} },
    ],
    edges: edges.map(([source, target, sourceHandle]) => ({ id: `${source}-${target}-${sourceHandle ?? ''}`, source, target, ...(sourceHandle ? { sourceHandle } : {}) })),
    settings: {},
  });

describe('csat node validation', () => {
  it('fills the defaults: 1–5, csat_score, a day to answer', () => {
    const result = graph({ question: 'How did we do?' });
    expect(result.errors).toEqual([]);
    expect(result.graph?.nodes.find((n) => n.id === 'rate')?.data).toEqual({ question: 'How did we do?', scale: 'five', variable: 'csat_score', commentVariable: 'csat_comment', timeoutSeconds: 86_400 });
  });

  it('names the field of each bad setting', () => {
    const fields = (data: Record<string, unknown>) => graph(data).errors.map((e) => e.field);
    expect(fields({})).toEqual(['question']);
    expect(fields({ question: 'Q', scale: 'ten' })).toEqual(['scale']);
    expect(fields({ question: 'Q', variable: 'my score' })).toEqual(['variable']);
    expect(fields({ question: 'Q', commentVariable: '1st' })).toEqual(['commentVariable']);
    expect(fields({ question: 'Q', timeoutSeconds: 0 })).toEqual(['timeoutSeconds']);
    expect(graph({ question: 'Q {{' }).errors.map((e) => e.message)).toEqual([expect.stringMatching(/^Node 'rate': question has a broken placeholder/)]);
  });

  it('needs its satisfied edge; unsatisfied and noAnswer may stay unconnected', () => {
    const missing = graph({ question: 'Q' }, [['start', 'rate']]);
    expect(missing.errors.map((e) => e.message).join(' ')).toMatch(/satisfied/);
    expect(graph({ question: 'Q' }, [['start', 'rate'], ['rate', 'end', 'satisfied'], ['rate', 'end', 'unsatisfied'], ['rate', 'end', 'noAnswer']]).errors).toEqual([]);
    expect(graph({ question: 'Q' }, [['start', 'rate'], ['rate', 'end', 'rated']]).errors.length).toBeGreaterThan(0);
  });

  it('offers the score (and with a follow-up the comment) to nodes downstream', () => {
    expect(nodeDefinition('csat')).toBe(csatNode);
    expect(csatNode.sets?.({ question: 'Q' })).toEqual(['csat_score']);
    expect(csatNode.sets?.({ question: 'Q', variable: 'rating', followUp: 'Why?', commentVariable: 'why' })).toEqual(['rating', 'why']);
    expect(csatNode.summary?.({ question: 'How was it?', scale: 'thumbs' })).toBe('👍/👎 How was it?');
  });
});
