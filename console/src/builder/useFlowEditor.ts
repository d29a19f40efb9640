/**
 * The editor's document: React Flow nodes and edges, the flow settings, undo/redo and the
 * clipboard. `revision` increases on every real edit (not on selection or mid-drag moves); the
 * page validates and autosaves when it changes.
 */
import { applyEdgeChanges, applyNodeChanges, type Connection, type EdgeChange, type NodeChange } from '@xyflow/react';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { FlowSettings, GraphInput } from '../../../core/graph/schema';
import { autoLayout } from '../graph/layout';
import { edgeFromConnection, toFlowEdges, toFlowNodes, toGraphEdges, toGraphNodes, type FlowEdge, type FlowNode } from '../graph/model';
import { EditHistory } from './history';

type Settings = Partial<FlowSettings>;

/** Copied nodes survive switching flows (same tab). */
let clipboard: { nodes: FlowNode[]; edges: FlowEdge[] } | null = null;

export function uniqueId(base: string, taken: Set<string>): string {
  const stem = base.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 56) || 'node';
  for (let i = 1; ; i++) {
    const id = `${stem}-${i}`;
    if (!taken.has(id)) return id;
  }
}

export function useFlowEditor(initial: GraphInput) {
  const [nodes, setNodesState] = useState<FlowNode[]>(() => toFlowNodes(initial));
  const [edges, setEdgesState] = useState<FlowEdge[]>(() => toFlowEdges(initial));
  const [settings, setSettingsState] = useState<Settings>(() => initial.settings ?? {});
  const [revision, setRevision] = useState(0);
  /** Like revision, but not bumped by moves: what validation depends on. */
  const [structure, setStructure] = useState(0);
  const nodesRef = useRef(nodes);
  const edgesRef = useRef(edges);
  const settingsRef = useRef(settings);
  const history = useRef(new EditHistory<FlowNode, FlowEdge>({ nodes, edges }));
  const pasteCount = useRef(0);

  const setNodes = useCallback((next: FlowNode[]) => {
    nodesRef.current = next;
    setNodesState(next);
  }, []);
  const setEdges = useCallback((next: FlowEdge[]) => {
    edgesRef.current = next;
    setEdgesState(next);
  }, []);

  /** Applies an edit and makes it undoable. */
  const commit = useCallback(
    (next: { nodes?: FlowNode[]; edges?: FlowEdge[] }, coalesceKey?: string, movesOnly = false) => {
      if (next.nodes) setNodes(next.nodes);
      if (next.edges) setEdges(next.edges);
      history.current.commit({ nodes: nodesRef.current, edges: edgesRef.current }, coalesceKey);
      setRevision((r) => r + 1);
      if (!movesOnly) setStructure((r) => r + 1);
    },
    [setNodes, setEdges],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      const next = applyNodeChanges(changes, nodesRef.current);
      const structural = changes.some((c) => c.type === 'remove' || c.type === 'add' || c.type === 'replace');
      const moved = changes.some((c) => c.type === 'position' && c.dragging === false);
      if (structural) {
        // Removing nodes also removes their edges.
        const ids = new Set(next.map((n) => n.id));
        const keptEdges = edgesRef.current.filter((e) => ids.has(e.source) && ids.has(e.target));
        commit({ nodes: next, edges: keptEdges.length === edgesRef.current.length ? undefined : keptEdges });
      } else if (moved) commit({ nodes: next }, undefined, true);
      else setNodes(next);
    },
    [commit, setNodes],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<FlowEdge>[]) => {
      const next = applyEdgeChanges(changes, edgesRef.current);
      if (changes.some((c) => c.type === 'remove' || c.type === 'add')) commit({ edges: next });
      else setEdges(next);
    },
    [commit, setEdges],
  );

  /** A new connection replaces whatever that output handle was connected to (each output leads to one step). */
  const onConnect = useCallback(
    (c: Connection) => {
      const handle = c.sourceHandle ?? 'next';
      const kept = edgesRef.current.filter((e) => !(e.source === c.source && (e.sourceHandle ?? 'next') === handle));
      const id = uniqueId(`e-${c.source}-${handle}`, new Set(kept.map((e) => e.id)));
      commit({ edges: [...kept, edgeFromConnection(c, id)] });
    },
    [commit],
  );

  const addNode = useCallback(
    (type: string, position: { x: number; y: number }) => {
      const id = uniqueId(type, new Set(nodesRef.current.map((n) => n.id)));
      const node: FlowNode = { id, type, position, data: { config: {} }, selected: true };
      commit({ nodes: [...nodesRef.current.map((n) => (n.selected ? { ...n, selected: false } : n)), node] });
      return id;
    },
    [commit],
  );

  const updateConfig = useCallback(
    (id: string, config: Record<string, unknown>) => {
      commit({ nodes: nodesRef.current.map((n) => (n.id === id ? { ...n, data: { ...n.data, config } } : n)) }, `config:${id}`);
    },
    [commit],
  );

  const renameNode = useCallback(
    (id: string, newId: string) => {
      if (nodesRef.current.some((n) => n.id === newId)) return false;
      commit({
        nodes: nodesRef.current.map((n) => (n.id === id ? { ...n, id: newId } : n)),
        edges: edgesRef.current.map((e) => ({ ...e, source: e.source === id ? newId : e.source, target: e.target === id ? newId : e.target })),
      });
      return true;
    },
    [commit],
  );

  const updateSettings = useCallback((next: Settings) => {
    settingsRef.current = next;
    setSettingsState(next);
    setRevision((r) => r + 1);
    setStructure((r) => r + 1);
  }, []);

  const copy = useCallback(() => {
    const picked = nodesRef.current.filter((n) => n.selected);
    if (picked.length === 0) return 0;
    const ids = new Set(picked.map((n) => n.id));
    clipboard = { nodes: picked, edges: edgesRef.current.filter((e) => ids.has(e.source) && ids.has(e.target)) };
    pasteCount.current = 0;
    return picked.length;
  }, []);

  const paste = useCallback(() => {
    if (!clipboard) return 0;
    const offset = 40 * ++pasteCount.current;
    const taken = new Set(nodesRef.current.map((n) => n.id));
    const rename = new Map<string, string>();
    const pasted = clipboard.nodes.map((n) => {
      const id = uniqueId(n.type ?? 'node', taken);
      taken.add(id);
      rename.set(n.id, id);
      return { ...n, id, selected: true, position: { x: n.position.x + offset, y: n.position.y + offset }, data: { config: n.data.config } };
    });
    const edgeIds = new Set(edgesRef.current.map((e) => e.id));
    const pastedEdges = clipboard.edges.map((e) => {
      const id = uniqueId(`e-${rename.get(e.source)}-${e.sourceHandle ?? 'next'}`, edgeIds);
      edgeIds.add(id);
      return { ...e, id, source: rename.get(e.source)!, target: rename.get(e.target)!, selected: false };
    });
    commit({ nodes: [...nodesRef.current.map((n) => (n.selected ? { ...n, selected: false } : n)), ...pasted], edges: [...edgesRef.current, ...pastedEdges] });
    return pasted.length;
  }, [commit]);

  const restore = useCallback(
    (snap: { nodes: FlowNode[]; edges: FlowEdge[] } | null) => {
      if (!snap) return;
      setNodes(snap.nodes);
      setEdges(snap.edges);
      setRevision((r) => r + 1);
      setStructure((r) => r + 1);
    },
    [setNodes, setEdges],
  );
  const undo = useCallback(() => restore(history.current.undo()), [restore]);
  const redo = useCallback(() => restore(history.current.redo()), [restore]);

  const layout = useCallback(() => commit({ nodes: autoLayout(nodesRef.current, edgesRef.current) }, undefined, true), [commit]);

  /** Replaces the whole document (import, restore of a version); undoable. */
  const replaceGraph = useCallback(
    (graph: GraphInput) => {
      if (graph.settings) updateSettings(graph.settings);
      commit({ nodes: toFlowNodes(graph), edges: toFlowEdges(graph) });
    },
    [commit, updateSettings],
  );

  /** Draws validation errors and the "Try it" active node; not an edit. */
  const decorate = useCallback(
    (errors: Map<string, string[]>, activeId: string | null) => {
      let changed = false;
      const next = nodesRef.current.map((n) => {
        const want = errors.get(n.id);
        const have = n.data.errors;
        const sameErrors = (!want && !have?.length) || (want && have && want.join('\n') === have.join('\n'));
        const active = n.id === activeId;
        if (sameErrors && Boolean(n.data.active) === active) return n;
        changed = true;
        return { ...n, data: { ...n.data, errors: want, active } };
      });
      if (changed) setNodes(next);
    },
    [setNodes],
  );

  const toGraph = useCallback(
    (): GraphInput => ({ nodes: toGraphNodes(nodesRef.current), edges: toGraphEdges(edgesRef.current), settings: settingsRef.current }),
    [],
  );

  const selectOnly = useCallback(
    (id: string) => setNodes(nodesRef.current.map((n) => (n.selected === (n.id === id) ? n : { ...n, selected: n.id === id }))),
    [setNodes],
  );

  return useMemo(
    () => ({
      nodes,
      edges,
      settings,
      revision,
      structure,
      canUndo: history.current.canUndo,
      canRedo: history.current.canRedo,
      onNodesChange,
      onEdgesChange,
      onConnect,
      addNode,
      updateConfig,
      renameNode,
      updateSettings,
      copy,
      paste,
      undo,
      redo,
      layout,
      replaceGraph,
      decorate,
      toGraph,
      selectOnly,
    }),
    [nodes, edges, settings, revision, structure],
  );
}

export type FlowEditor = ReturnType<typeof useFlowEditor>;
