/**
 * Replays every recorded history against the current workflow code (a determinism break fails
 * here), and checks that the histories cover every workflow kind, every node type and every path
 * named in coverage.ts. Record histories with `npm run record:histories` (see record.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import { bundle, quietRuntime } from '../workflows/support/harness';
import { coverageGaps, nodeTypes, readVisited, workflowKinds, type Recorded } from './coverage';
import { historyFacts, historyNames, readHistory } from './history';

const names = historyNames();
const visited = readVisited();
const recorded: Recorded[] = names.map((name) => ({ name, facts: historyFacts(readHistory(name)), visited: visited[name] }));

/** Replay errors by history name (undefined: it replayed), from one replay worker for all histories. */
const replayed = new Map<string, Error | undefined>();
beforeAll(async () => {
  quietRuntime();
  const workflowBundle = await bundle();
  const histories = names.map((name) => ({ workflowId: name, history: readHistory(name) }));
  for await (const { workflowId, error } of Worker.runReplayHistories({ workflowBundle }, histories)) replayed.set(workflowId, error);
});

describe('replay of recorded histories', () => {
  it.each(names)('%s replays deterministically', (name) => {
    expect(replayed.has(name)).toBe(true);
    const error = replayed.get(name);
    if (error) throw error;
  });
});

describe('coverage of the recorded histories', () => {
  it('covers every workflow kind, node type and path', () => {
    expect(coverageGaps(recorded, { manifest: visited })).toEqual([]);
  });

  it('takes its workflow kinds from the code and its node types from the catalogue', () => {
    expect(workflowKinds()).toEqual(expect.arrayContaining(['conversation', 'flowRun', 'ingestDocument']));
    expect(nodeTypes()).toEqual(expect.arrayContaining(['start', 'ask', 'llmReply', 'httpRequest', 'wait', 'handoff', 'end']));
  });

  it('names a node type, a workflow kind and a path left without a history', () => {
    const withoutWait = recorded.filter((r) => !r.visited?.nodes.wait);
    expect(coverageGaps(withoutWait, { paths: [] })).toEqual(
      expect.arrayContaining(['node type wait has no recorded conversation history', 'node type wait has no recorded flowRun history']),
    );
    const gaps = coverageGaps(recorded, { kinds: [...workflowKinds(), 'survey'], types: [...nodeTypes(), 'sendEmail'], manifest: visited });
    expect(gaps).toEqual(['node type sendEmail has no recorded conversation history', 'node type sendEmail has no recorded flowRun history', 'node type sendEmail has no recorded ivrCall history', 'workflow kind survey has no recorded history']);
    const withoutClose = recorded.filter((r) => !r.facts.signals.some((s) => s.name === 'close'));
    expect(coverageGaps(withoutClose, { types: [] })).toContain('path "close" of conversation has no recorded history');
  });

  it('refuses a visited.json entry that does not describe its history', () => {
    const [first] = recorded.filter((r) => r.visited);
    const stale = { ...first, visited: { ...first.visited!, events: first.facts.events + 1 } };
    expect(coverageGaps([stale], { kinds: [], types: [], paths: [] })).toEqual([`visited.json does not describe history ${first.name} (another kind or event count): record it again with the script`]);
  });
});
