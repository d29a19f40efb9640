/**
 * The editor's document (./document.ts) as React state: the returned object changes whenever the
 * nodes, edges, settings or counters do, and its methods are stable.
 */
import { useMemo, useReducer, useRef } from 'react';
import type { GraphInput } from '../../../core/graph/schema';
import { FlowDocument } from './document';

export { uniqueId } from './document';

export function useFlowEditor(initial: GraphInput) {
  const ref = useRef<FlowDocument | null>(null);
  ref.current ??= new FlowDocument(initial);
  const doc = ref.current;
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  doc.onChange = rerender;

  return useMemo(
    () => ({
      nodes: doc.nodes,
      edges: doc.edges,
      settings: doc.settings,
      revision: doc.revision,
      structure: doc.structure,
      canUndo: doc.canUndo,
      canRedo: doc.canRedo,
      onNodesChange: doc.onNodesChange,
      onEdgesChange: doc.onEdgesChange,
      onConnect: doc.onConnect,
      addNode: doc.addNode,
      updateConfig: doc.updateConfig,
      renameNode: doc.renameNode,
      updateSettings: doc.updateSettings,
      copy: doc.copy,
      paste: doc.paste,
      undo: doc.undo,
      redo: doc.redo,
      layout: doc.layout,
      replaceGraph: doc.replaceGraph,
      decorate: doc.decorate,
      toGraph: doc.toGraph,
      selectOnly: doc.selectOnly,
    }),
    [doc, doc.nodes, doc.edges, doc.settings, doc.revision, doc.structure],
  );
}

export type FlowEditor = ReturnType<typeof useFlowEditor>;
