/** The editable canvas: drop from the palette, connect handles, select, move, delete. */
import { Background, Controls, MiniMap, ReactFlow, useReactFlow, type IsValidConnection } from '@xyflow/react';
import { useCallback, type DragEvent } from 'react';
import '@xyflow/react/dist/style.css';
import { nodeTypes } from '../graph/FlowNodeView';
import { definitionOf, minimapClass, NODE_WIDTH, type FlowEdge, type FlowNode } from '../graph/model';
import '../graph/graph.css';
import { DRAG_MIME } from './Palette';
import type { FlowEditor } from './useFlowEditor';

const DELETE_KEYS = ['Backspace', 'Delete'];
const MULTI_SELECT_KEYS = ['Meta', 'Control'];
/** A small flow opens at natural size rather than blown up to fill the canvas. */
export const FIT_VIEW = { maxZoom: 1, padding: 0.2 };

export function EditorCanvas({ editor, readOnly, onSelectNode }: { editor: FlowEditor; readOnly: boolean; onSelectNode: (id: string | null) => void }) {
  const flow = useReactFlow<FlowNode, FlowEdge>();

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(DRAG_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(DRAG_MIME);
      if (!type || !definitionOf(type) || readOnly) return;
      e.preventDefault();
      const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      onSelectNode(editor.addNode(type, { x: p.x - NODE_WIDTH / 2, y: p.y - 20 }));
    },
    [flow, editor, readOnly, onSelectNode],
  );

  // Handles only connect bottom (outputs) to top (inputs); Start has no input.
  const isValidConnection: IsValidConnection<FlowEdge> = useCallback((c) => c.source !== c.target, []);

  return (
    <div className="editor-canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<FlowNode, FlowEdge>
        nodes={editor.nodes}
        edges={editor.edges}
        nodeTypes={nodeTypes}
        onNodesChange={editor.onNodesChange}
        onEdgesChange={editor.onEdgesChange}
        onConnect={editor.onConnect}
        isValidConnection={isValidConnection}
        onSelectionChange={({ nodes }) => onSelectNode(nodes.length === 1 ? nodes[0].id : null)}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={readOnly ? null : DELETE_KEYS}
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        selectionKeyCode="Shift"
        fitView
        fitViewOptions={FIT_VIEW}
        minZoom={0.05}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} />
        <Controls />
        <MiniMap pannable zoomable ariaLabel="Flow overview" nodeClassName={minimapClass} />
      </ReactFlow>
    </div>
  );
}
