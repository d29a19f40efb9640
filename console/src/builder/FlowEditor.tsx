/**
 * The flow builder: palette, canvas and side panels (inspector, problems, "Try it", versions),
 * with live validation (core/graph/validate, the same code the server runs on publish), autosave,
 * undo/redo, copy/paste, auto-layout, publish, export and import.
 */
import { useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { GraphError, GraphInput } from '../../../core/graph/schema';
import { validateGraph } from '../../../core/graph/validate';
import { can, useAuth } from '../app/auth';
import { NODE_WIDTH, type FlowEdge, type FlowNode } from '../graph/model';
import { Tabs, useToast } from '../ui';
import { EditorCanvas } from './EditorCanvas';
import { EditorToolbar } from './EditorToolbar';
import { flowApi, type FlowDetail, type FlowVersionSummary } from './flowApi';
import { Inspector } from './Inspector';
import { Palette } from './Palette';
import { ProblemsPanel, VersionsPanel } from './SidePanels';
import { TryItPanel } from './TryItPanel';
import { useAutosave } from './useAutosave';
import { useFlowEditor } from './useFlowEditor';
import './editor.css';

const VALIDATE_DELAY_MS = 150;

const isEditable = (el: EventTarget | null) =>
  el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || Boolean(el.closest('[role="dialog"]')));

export function FlowEditor({ flow }: { flow: FlowDetail }) {
  const { user } = useAuth();
  const readOnly = !can.build(user?.role);
  const toast = useToast();
  const editor = useFlowEditor(flow.graph);
  const view = useReactFlow<FlowNode, FlowEdge>();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [tab, setTab] = useState('inspector');
  const [problems, setProblems] = useState<GraphError[]>(() => validateGraph(flow.graph).errors);
  const [activeNode, setActiveNode] = useState<string | null>(null);
  const [versions, setVersions] = useState<FlowVersionSummary[]>(flow.versions);
  const [name, setName] = useState(flow.name);
  const autosave = useAutosave(flow.id, editor.revision, editor.toGraph);

  // Validate a moment after each edit; draw errors and the active test node on the canvas.
  useEffect(() => {
    if (editor.structure === 0) return; // validated on load already
    const t = setTimeout(() => setProblems(validateGraph(editor.toGraph()).errors), VALIDATE_DELAY_MS);
    return () => clearTimeout(t);
  }, [editor.structure, editor.toGraph]);
  useEffect(() => {
    const byNode = new Map<string, string[]>();
    for (const p of problems) if (p.nodeId) byNode.set(p.nodeId, [...(byNode.get(p.nodeId) ?? []), p.message]);
    editor.decorate(byNode, activeNode);
  }, [problems, activeNode, editor.decorate]);

  // React Flow reports the selection again whenever node objects change (validation marks): only a
  // newly selected node switches to the inspector.
  const lastSelected = useRef<string | null>(null);
  const onSelectNode = useCallback((id: string | null) => {
    setSelectedId(id);
    if (id && id !== lastSelected.current) setTab((t) => (t === 'try' ? t : 'inspector'));
    lastSelected.current = id;
  }, []);

  const focusNode = useCallback(
    (id: string) => {
      editor.selectOnly(id);
      setSelectedId(id);
      lastSelected.current = id;
      setTab('inspector');
      const n = editor.nodes.find((x) => x.id === id);
      if (n) void view.setCenter(n.position.x + NODE_WIDTH / 2, n.position.y + 40, { zoom: Math.max(view.getZoom(), 0.9), duration: 300 });
    },
    [editor, view],
  );

  const addAtCenter = useCallback(
    (type: string) => {
      const box = document.querySelector('.editor-canvas')?.getBoundingClientRect();
      const p = view.screenToFlowPosition({ x: (box?.left ?? 0) + (box?.width ?? 600) / 2, y: (box?.top ?? 0) + (box?.height ?? 400) / 2 });
      onSelectNode(editor.addNode(type, { x: p.x - NODE_WIDTH / 2, y: p.y - 30 }));
    },
    [editor.addNode, view, onSelectNode],
  );

  // Keyboard shortcuts, unless the user is typing in a field.
  const keys = useRef({ editor, readOnly, toast });
  keys.current = { editor, readOnly, toast };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || isEditable(e.target)) return;
      const { editor: ed, readOnly: ro, toast: t } = keys.current;
      const key = e.key.toLowerCase();
      if (key === 'c') {
        const n = ed.copy();
        if (n) t.info(`Copied ${n} node${n > 1 ? 's' : ''}`);
      } else if (ro) return;
      else if (key === 'v') ed.paste();
      else if (key === 'z' && e.shiftKey) ed.redo();
      else if (key === 'z') ed.undo();
      else if (key === 'y') ed.redo();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // The versions route also says who published each one; a failed load shows in the Versions tab.
  const [versionsError, setVersionsError] = useState<string | null>(null);
  const reloadVersions = useCallback(async () => {
    try {
      setVersions(await flowApi.versions(flow.id));
      setVersionsError(null);
    } catch (err) {
      setVersionsError(`Could not load the versions: ${(err as Error).message}`);
    }
  }, [flow.id]);
  useEffect(() => {
    void reloadVersions();
  }, [reloadVersions]);

  /** Saves and returns the graph when it validates; otherwise shows the problems. */
  const prepareLatest = useRef<() => Promise<GraphInput | null>>(null!);
  prepareLatest.current = async () => {
    await autosave.flush();
    const graph = editor.toGraph();
    const result = validateGraph(graph);
    if (!result.valid) {
      setProblems(result.errors);
      setTab('problems');
      toast.error(`Fix ${result.errors.length} problem(s) before testing`);
      return null;
    }
    return graph;
  };
  const prepareTest = useCallback(() => prepareLatest.current(), []);
  // Drawn until the next edit re-runs the builder's own validation.
  const showRefusal = useCallback((errors: GraphError[]) => {
    setProblems(errors);
    setTab('problems');
  }, []);

  // Test sessions need the builder role; viewers and agents only look.
  const tryTab = {
    id: 'try',
    label: 'Try it',
    content: (
      <TryItPanel
        flowId={flow.id}
        prepare={prepareTest}
        onNode={(id, status) => setActiveNode((cur) => (status === 'started' ? id : cur === id ? null : cur))}
        onEnd={() => setActiveNode(null)}
      />
    ),
  };
  const selected = selectedId ? (editor.nodes.find((n) => n.id === selectedId) ?? null) : null;

  return (
    <div className="editor">
      <EditorToolbar
        flow={flow}
        liveVersion={versions[0]?.version ?? null}
        name={name}
        onRename={setName}
        editor={editor}
        readOnly={readOnly}
        saveStatus={autosave.status}
        saveError={autosave.error}
        problemCount={problems.length}
        flush={autosave.flush}
        onPublished={async () => {
          await reloadVersions();
          setTab('versions');
        }}
        onShowProblems={() => setTab('problems')}
        onRefused={showRefusal}
      />
      <div className="editor-body">
        {!readOnly && <Palette onAdd={addAtCenter} />}
        <EditorCanvas editor={editor} readOnly={readOnly} onSelectNode={onSelectNode} />
        <aside className="editor-side" aria-label="Flow details">
          <Tabs
            keepMounted
            label="Flow details"
            active={tab}
            onChange={setTab}
            tabs={[
              { id: 'inspector', label: selected ? 'Node' : 'Settings', content: <Inspector editor={editor} node={selected} readOnly={readOnly} /> },
              { id: 'problems', label: `Problems (${problems.length})`, content: <ProblemsPanel problems={problems} onPick={focusNode} /> },
              ...(readOnly ? [] : [tryTab]),
              {
                id: 'versions',
                label: 'Versions',
                content: (
                  <VersionsPanel
                    versions={versions}
                    error={versionsError}
                    onRetry={reloadVersions}
                    readOnly={readOnly}
                    onRestore={async (v) => {
                      try {
                        await autosave.flush();
                        await flowApi.restore(flow.id, v);
                        editor.replaceGraph((await flowApi.get(flow.id)).graph);
                        toast.success(`Restored version ${v} into the draft`);
                      } catch (err) {
                        toast.error(`Restore failed: ${(err as Error).message}`);
                      }
                    }}
                  />
                ),
              },
            ]}
          />
        </aside>
      </div>
    </div>
  );
}
