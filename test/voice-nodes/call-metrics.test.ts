/** The run page's call metrics (console/src/pages/runs/call-metrics.ts) from a history as the API returns it. */
import { describe, expect, it } from 'vitest';
import { callMetrics, lastStepAt } from '../../console/src/pages/runs/call-metrics';
import type { NodeHistory, NodeStep } from '../../core/api/runs';

const T0 = Date.parse('2026-12-05T20:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const trace = (s: number, handle?: string, failed = false): NodeStep => ({
  kind: 'trace',
  name: 'x',
  startedAt: at(s),
  finishedAt: at(s),
  durationMs: 0,
  status: failed ? 'failed' : 'visited',
  ...(handle ? { handle } : {}),
});
const activity = (s: number, attempts: number): NodeStep => ({ kind: 'activity', name: 'synthesizeSpeech', startedAt: at(s), finishedAt: at(s), durationMs: 0, status: 'completed', attempts });
const node = (nodeId: string, type: string, steps: NodeStep[]): NodeHistory => ({ nodeId, type, visits: steps.length, firstAt: null, lastAt: null, durationMs: null, steps });

describe('callMetrics', () => {
  // start → hours (same instant) → menu prompts at 0, no match at 8, no input at 15, "2" at 20 → transfer 20 … end 50.
  const history = {
    nodes: [
      node('menu', 'menu', [trace(0), trace(8), trace(15), trace(20, 'option-2')]),
      node('start', 'start', [trace(0, 'next')]),
      node('hours', 'businessHours', [trace(0, 'open')]),
      node('transfer', 'transfer', [activity(20, 3), trace(20), trace(50, 'completed')]),
    ],
    visits: [
      { nodeId: 'start', handle: 'next' },
      { nodeId: 'hours', handle: 'open' },
      { nodeId: 'menu', handle: null },
      { nodeId: 'menu', handle: null },
      { nodeId: 'menu', handle: null },
      { nodeId: 'menu', handle: 'option-2' },
      { nodeId: 'transfer', handle: null },
      { nodeId: 'transfer', handle: 'completed' },
    ],
  };

  it('orders nodes by the visits (not by instants a workflow task shares), times each stay and counts re-prompts', () => {
    const m = callMetrics(history, T0 + 60_000);
    expect(m.nodes.map((n) => [n.nodeId, n.stays, n.timeMs, n.retries, n.activityRetries])).toEqual([
      ['start', 1, 0, 0, 0],
      ['hours', 1, 0, 0, 0],
      ['menu', 1, 20_000, 2, 0],
      ['transfer', 1, 40_000, 0, 2],
    ]);
    expect(m.totalMs).toBe(60_000);
    expect(lastStepAt(history.nodes)).toBe(T0 + 50_000);
  });

  it('counts a loop back to a node as a second stay, and adds its time', () => {
    const loop = {
      nodes: [node('start', 'start', [trace(0, 'next')]), node('menu', 'menu', [trace(0), trace(5, 'option-9'), trace(9), trace(12, 'option-1')]), node('say', 'say', [trace(5, 'next')]), node('bye', 'hangup', [trace(12)])],
      visits: [
        { nodeId: 'start', handle: 'next' },
        { nodeId: 'menu', handle: null },
        { nodeId: 'menu', handle: 'option-9' },
        { nodeId: 'say', handle: 'next' },
        { nodeId: 'menu', handle: null },
        { nodeId: 'menu', handle: 'option-1' },
        { nodeId: 'bye', handle: null },
      ],
    };
    const m = callMetrics(loop, T0 + 12_000);
    expect(m.nodes.find((n) => n.nodeId === 'menu')).toMatchObject({ stays: 2, timeMs: 5_000 + 3_000, retries: 0 });
    expect(m.nodes.find((n) => n.nodeId === 'say')).toMatchObject({ stays: 1, timeMs: 4_000 });
    expect(m.nodes.find((n) => n.nodeId === 'bye')).toMatchObject({ stays: 1, timeMs: 0, retries: 0 });
  });

  it('is empty for a call that has not reached the flow', () => {
    expect(callMetrics({ nodes: [], visits: [] }, T0)).toEqual({ nodes: [], totalMs: 0 });
  });
});
