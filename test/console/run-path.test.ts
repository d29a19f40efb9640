/** A run drawn on its graph: visits in order, loops included, and the edges between them. */
import { describe, expect, it } from 'vitest';
import { collapseVisits, stepNumbers, takenEdges, traversedEdges, visitNumbers, type FlowEdge } from '../../console/src/graph/model';
import { resetTargets } from '../../console/src/pages/runs/reset';
import type { NodeHistory } from '../../core/api/runs';

const edge = (source: string, target: string, sourceHandle = 'next'): FlowEdge => ({ id: `${source}-${sourceHandle}-${target}`, source, target, sourceHandle });

// start → init → check ─true→ inc → check (the back edge) ─false→ done
const loop = [edge('start', 'init'), edge('init', 'check'), edge('check', 'inc', 'true'), edge('inc', 'check'), edge('check', 'done', 'false')];
const visits = [
  { nodeId: 'start', handle: 'next' },
  { nodeId: 'init', handle: 'next' },
  { nodeId: 'check', handle: 'true' },
  { nodeId: 'inc', handle: 'next' },
  { nodeId: 'check', handle: 'false' },
  { nodeId: 'done' },
];

describe('the path of a run', () => {
  it('lights the edges between consecutive visits, a loop’s back edge included', () => {
    expect([...traversedEdges(loop, visits)].sort()).toEqual(['check-false-done', 'check-true-inc', 'inc-next-check', 'init-next-check', 'start-next-init']);
    // Numbering nodes by their first visit alone never lights the back edge (inc #4 → check #3).
    const byFirst = { start: 1, init: 2, check: 3, inc: 4, done: 6 };
    const highlight = Object.fromEntries(Object.entries(byFirst).map(([id, order]) => [id, { order, status: 'ok' as const }]));
    expect(takenEdges(loop, highlight).has('inc-next-check')).toBe(false);
  });

  it('numbers every visit of a node', () => {
    const numbers = visitNumbers(visits);
    expect(numbers.get('check')).toEqual([3, 5]);
    expect(stepNumbers({ order: 3, visits: numbers.get('check'), status: 'ok' })).toBe('3, 5');
    expect(stepNumbers({ order: 2, status: 'ok' })).toBe('2');
  });

  it('counts a node waiting for an answer, then taking it, as one visit', () => {
    const asked = collapseVisits([{ nodeId: 'start', handle: 'next' }, { nodeId: 'ask', handle: null }, { nodeId: 'ask', handle: 'next' }, { nodeId: 'say', handle: 'next' }]);
    expect(asked).toEqual([{ nodeId: 'start', handle: 'next' }, { nodeId: 'ask', handle: 'next' }, { nodeId: 'say', handle: 'next' }]);
  });

  it('takes the edge of the handle a node left by, or any edge between the two', () => {
    const both = [edge('ask', 'say', 'next'), edge('ask', 'say', 'invalid'), edge('human', 'more')];
    expect([...traversedEdges(both, [{ nodeId: 'ask', handle: 'invalid' }, { nodeId: 'say' }])]).toEqual(['ask-invalid-say']);
    // A handoff leaves by "handoff" and resumes along its "next" edge later.
    expect([...traversedEdges(both, [{ nodeId: 'human', handle: 'handoff' }, { nodeId: 'more' }])]).toEqual(['human-next-more']);
  });
});

it('offers reset only to nodes that ran an activity, with the reason for the others', () => {
  const node = (nodeId: string, kinds: ('activity' | 'trace')[]): NodeHistory => ({
    nodeId,
    type: null,
    visits: 1,
    firstAt: null,
    lastAt: null,
    durationMs: null,
    steps: kinds.map((kind) => ({ kind, name: kind, startedAt: null, finishedAt: null, durationMs: null, status: 'completed' })),
  });
  expect(resetTargets([node('start', ['trace']), node('answer', ['activity', 'trace']), node('check', ['trace'])])).toEqual([
    { nodeId: 'start', type: null, unavailable: 'ran no activity: nothing to reset to' },
    { nodeId: 'answer', type: null },
    { nodeId: 'check', type: null, unavailable: 'ran no activity: nothing to reset to' },
  ]);
});
