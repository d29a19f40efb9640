/**
 * The editor's document without React: nodes, edges and flow settings as immutable values, with
 * undo/redo over all three and the clipboard. `revision` increases on every real edit (not on
 * selection or mid-drag moves); `structure` likewise but not on moves (what validation depends on).
 * `useFlowEditor` re-renders when `onChange` fires.
 */
import { applyEdgeChanges, applyNodeChanges, type Connection, type EdgeChange, type NodeChange } from '@xyflow/react';
import type { FlowSettings, GraphInput } from '../../../core/graph/schema';
import { autoLayout } from '../graph/layout';
import { edgeFromConnection, toFlowEdges, toFlowNodes, toGraphEdges, toGraphNodes, type FlowEdge, type FlowNode } from '../graph/model';
import { EditHistory } from './history';

export type Settings = Partial<FlowSettings>;
export interface DocSnapshot {
  nodes: FlowNode[];
  edges: FlowEdge[];
  settings: Settings;
}
/** view: selection, mid-drag positions, decorations; move: positions only (undoable); edit: anything else. */
type Kind = 'view' | 'move' | 'edit';

/** Copied nodes survive switching flows (same tab). */
let clipboard: { nodes: FlowNode[]; edges: FlowEdge[] } | null = null;

export function uniqueId(base: string, taken: Set<string>): string {
  const stem = base.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 56) || 'node';
  for (let i = 1; ; i++) {
    const id = `${stem}-${i}`;
    if (!taken.has(id)) return id;
  }
}

export class FlowDocument {
  nodes: FlowNode[];
  edges: FlowEdge[];
  settings: Settings;
  revision = 0;
  structure = 0;
  onChange: () => void = () => {};
  private readonly history: EditHistory<DocSnapshot>;
  private pasteCount = 0;
  /** Key shared by the removals of one synchronous burst (see `removalKey`). */
  private removal: string | null = null;
  private removals = 0;

  constructor(initial: GraphInput) {
    this.nodes = toFlowNodes(initial);
    this.edges = toFlowEdges(initial);
    this.settings = initial.settings ?? {};
    this.history = new EditHistory<DocSnapshot>(this.snapshot());
  }

  get canUndo() {
    return this.history.canUndo;
  }
  get canRedo() {
    return this.history.canRedo;
  }

  private snapshot(): DocSnapshot {
    return { nodes: this.nodes, edges: this.edges, settings: this.settings };
  }

  private apply(next: Partial<DocSnapshot>, kind: Kind, coalesceKey?: string) {
    if (next.nodes) this.nodes = next.nodes;
    if (next.edges) this.edges = next.edges;
    if (next.settings) this.settings = next.settings;
    if (kind !== 'view') {
      this.history.commit(this.snapshot(), coalesceKey);
      this.revision++;
      if (kind === 'edit') this.structure++;
    }
    this.onChange();
  }

  /**
   * React Flow deletes a node by emitting its edges' removal, then the node's, in the same tick:
   * removals made before the next microtask share one key, so they are one undo step.
   */
  private removalKey(): string {
    if (!this.removal) {
      this.removal = `remove:${++this.removals}`;
      queueMicrotask(() => (this.removal = null));
    }
    return this.removal;
  }

  onNodesChange = (changes: NodeChange<FlowNode>[]) => {
    const next = applyNodeChanges(changes, this.nodes);
    const removed = changes.some((c) => c.type === 'remove');
    if (removed || changes.some((c) => c.type === 'add' || c.type === 'replace')) {
      // Removing nodes also removes their edges.
      const ids = new Set(next.map((n) => n.id));
      const keptEdges = this.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
      this.apply({ nodes: next, edges: keptEdges.length === this.edges.length ? undefined : keptEdges }, 'edit', removed ? this.removalKey() : undefined);
    } else if (changes.some((c) => c.type === 'position' && c.dragging === false)) this.apply({ nodes: next }, 'move');
    else this.apply({ nodes: next }, 'view');
  };

  onEdgesChange = (changes: EdgeChange<FlowEdge>[]) => {
    const next = applyEdgeChanges(changes, this.edges);
    const removed = changes.some((c) => c.type === 'remove');
    if (removed || changes.some((c) => c.type === 'add')) this.apply({ edges: next }, 'edit', removed ? this.removalKey() : undefined);
    else this.apply({ edges: next }, 'view');
  };

  /** A new connection replaces whatever that output handle was connected to (each output leads to one step). */
  onConnect = (c: Connection) => {
    const handle = c.sourceHandle ?? 'next';
    const kept = this.edges.filter((e) => !(e.source === c.source && (e.sourceHandle ?? 'next') === handle));
    const id = uniqueId(`e-${c.source}-${handle}`, new Set(kept.map((e) => e.id)));
    this.apply({ edges: [...kept, edgeFromConnection(c, id)] }, 'edit');
  };

  addNode = (type: string, position: { x: number; y: number }) => {
    const id = uniqueId(type, new Set(this.nodes.map((n) => n.id)));
    const node: FlowNode = { id, type, position, data: { config: {} }, selected: true };
    this.apply({ nodes: [...this.deselected(), node] }, 'edit');
    return id;
  };

  updateConfig = (id: string, config: Record<string, unknown>) => {
    this.apply({ nodes: this.nodes.map((n) => (n.id === id ? { ...n, data: { ...n.data, config } } : n)) }, 'edit', `config:${id}`);
  };

  renameNode = (id: string, newId: string) => {
    if (this.nodes.some((n) => n.id === newId)) return false;
    this.apply(
      {
        nodes: this.nodes.map((n) => (n.id === id ? { ...n, id: newId } : n)),
        edges: this.edges.map((e) => ({ ...e, source: e.source === id ? newId : e.source, target: e.target === id ? newId : e.target })),
      },
      'edit',
    );
    return true;
  };

  /** Typing in one settings field within a second is one undo step, like node settings. */
  updateSettings = (next: Settings) => this.apply({ settings: next }, 'edit', 'settings');

  copy = () => {
    const picked = this.nodes.filter((n) => n.selected);
    if (picked.length === 0) return 0;
    const ids = new Set(picked.map((n) => n.id));
    clipboard = { nodes: picked, edges: this.edges.filter((e) => ids.has(e.source) && ids.has(e.target)) };
    this.pasteCount = 0;
    return picked.length;
  };

  paste = () => {
    if (!clipboard) return 0;
    const offset = 40 * ++this.pasteCount;
    const taken = new Set(this.nodes.map((n) => n.id));
    const rename = new Map<string, string>();
    const pasted = clipboard.nodes.map((n) => {
      const id = uniqueId(n.type ?? 'node', taken);
      taken.add(id);
      rename.set(n.id, id);
      return { ...n, id, selected: true, position: { x: n.position.x + offset, y: n.position.y + offset }, data: { config: n.data.config } };
    });
    const edgeIds = new Set(this.edges.map((e) => e.id));
    const pastedEdges = clipboard.edges.map((e) => {
      const id = uniqueId(`e-${rename.get(e.source)}-${e.sourceHandle ?? 'next'}`, edgeIds);
      edgeIds.add(id);
      return { ...e, id, source: rename.get(e.source)!, target: rename.get(e.target)!, selected: false };
    });
    this.apply({ nodes: [...this.deselected(), ...pasted], edges: [...this.edges, ...pastedEdges] }, 'edit');
    return pasted.length;
  };

  private restore(snap: DocSnapshot | null) {
    if (!snap) return;
    this.nodes = snap.nodes;
    this.edges = snap.edges;
    this.settings = snap.settings;
    this.revision++;
    this.structure++;
    this.onChange();
  }
  undo = () => this.restore(this.history.undo());
  redo = () => this.restore(this.history.redo());

  layout = () => this.apply({ nodes: autoLayout(this.nodes, this.edges) }, 'move');

  /** Replaces the whole document, settings included (import, restore of a version); one undo step. */
  replaceGraph = (graph: GraphInput) => this.apply({ nodes: toFlowNodes(graph), edges: toFlowEdges(graph), settings: graph.settings ?? {} }, 'edit');

  /** Draws validation errors and the "Try it" active node; not an edit. */
  decorate = (errors: Map<string, string[]>, activeId: string | null) => {
    let changed = false;
    const next = this.nodes.map((n) => {
      const want = errors.get(n.id);
      const have = n.data.errors;
      const sameErrors = (!want && !have?.length) || (want && have && want.join('\n') === have.join('\n'));
      const active = n.id === activeId;
      if (sameErrors && Boolean(n.data.active) === active) return n;
      changed = true;
      return { ...n, data: { ...n.data, errors: want, active } };
    });
    if (changed) this.apply({ nodes: next }, 'view');
  };

  toGraph = (): GraphInput => ({ nodes: toGraphNodes(this.nodes), edges: toGraphEdges(this.edges), settings: this.settings });

  selectOnly = (id: string) => this.apply({ nodes: this.nodes.map((n) => (n.selected === (n.id === id) ? n : { ...n, selected: n.id === id })) }, 'view');

  private deselected() {
    return this.nodes.map((n) => (n.selected ? { ...n, selected: false } : n));
  }
}
