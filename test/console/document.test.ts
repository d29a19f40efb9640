/** The builder's document: what one undo step is (a deletion, a settings edit, an import). */
import { describe, expect, it } from 'vitest';
import { FlowDocument } from '../../console/src/builder/document';
import type { GraphInput } from '../../core/graph/schema';

const graph: GraphInput = {
  nodes: [
    { id: 'start', type: 'start', data: {} },
    { id: 'ask', type: 'ask', data: { prompt: 'Name?', variable: 'name' } },
    { id: 'end', type: 'end', data: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'ask' },
    { id: 'e2', source: 'ask', target: 'end' },
  ],
  settings: { idleTimeoutMinutes: 10 },
};

const ids = (doc: FlowDocument) => ({ nodes: doc.nodes.map((n) => n.id), edges: doc.edges.map((e) => e.id) });

/** What React Flow's deleteElements emits for one node: its edges' removal, then the node's, in one tick. */
function deleteNode(doc: FlowDocument, id: string) {
  const edges = doc.edges.filter((e) => e.source === id || e.target === id);
  doc.onEdgesChange(edges.map((e) => ({ type: 'remove', id: e.id })));
  doc.onNodesChange([{ type: 'remove', id }]);
}

describe('FlowDocument', () => {
  it('undoes the deletion of a connected node, with its edges, in one step', async () => {
    const doc = new FlowDocument(graph);
    deleteNode(doc, 'ask');
    expect(ids(doc)).toEqual({ nodes: ['start', 'end'], edges: [] });
    await Promise.resolve();
    doc.undo();
    expect(ids(doc)).toEqual({ nodes: ['start', 'ask', 'end'], edges: ['e1', 'e2'] });
    expect(doc.canUndo).toBe(false);
    doc.redo();
    expect(ids(doc)).toEqual({ nodes: ['start', 'end'], edges: [] });
  });

  it('keeps two deletions made one after the other as two steps', async () => {
    const doc = new FlowDocument(graph);
    deleteNode(doc, 'ask');
    await Promise.resolve();
    deleteNode(doc, 'end');
    doc.undo();
    expect(ids(doc).nodes).toEqual(['start', 'end']);
    doc.undo();
    expect(ids(doc).nodes).toEqual(['start', 'ask', 'end']);
  });

  it('undoes settings edits, typing in a field being one step', () => {
    const doc = new FlowDocument(graph);
    const revision = doc.revision;
    doc.updateSettings({ ...doc.settings, errorMessage: 'O' });
    doc.updateSettings({ ...doc.settings, errorMessage: 'Oops' });
    expect(doc.revision).toBeGreaterThan(revision);
    doc.undo();
    expect(doc.settings).toEqual({ idleTimeoutMinutes: 10 });
    doc.redo();
    expect(doc.settings).toEqual({ idleTimeoutMinutes: 10, errorMessage: 'Oops' });
  });

  it('imports a graph, settings included (none means the defaults), and one undo brings the old one back', () => {
    const doc = new FlowDocument(graph);
    doc.replaceGraph({ nodes: [{ id: 'start', type: 'start', data: {} }], edges: [] });
    expect(ids(doc)).toEqual({ nodes: ['start'], edges: [] });
    expect(doc.settings).toEqual({});
    expect(doc.toGraph().settings).toEqual({});
    doc.undo();
    expect(ids(doc)).toEqual({ nodes: ['start', 'ask', 'end'], edges: ['e1', 'e2'] });
    expect(doc.settings).toEqual({ idleTimeoutMinutes: 10 });
  });

  it('notifies on every change and counts moves as revisions but not structure', () => {
    const doc = new FlowDocument(graph);
    let changes = 0;
    doc.onChange = () => changes++;
    doc.onNodesChange([{ type: 'position', id: 'ask', position: { x: 5, y: 5 }, dragging: true }]);
    expect([doc.revision, doc.structure, doc.canUndo]).toEqual([0, 0, false]);
    doc.onNodesChange([{ type: 'position', id: 'ask', position: { x: 9, y: 9 }, dragging: false }]);
    expect([doc.revision, doc.structure, doc.canUndo]).toEqual([1, 0, true]);
    expect(changes).toBe(2);
  });
});
