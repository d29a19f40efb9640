/** The editor's toolbar: name, save state, undo/redo, layout, export/import, publish. */
import { useReactFlow } from '@xyflow/react';
import { memo, useRef, useState } from 'react';
import type { GraphError } from '../../../core/graph/schema';
import { ApiError } from '../api/client';
import { Link } from '../app/router';
import { Badge, Button, Field, FormDialog, Input, Textarea, useToast } from '../ui';
import { downloadFlowFile, parseFlowFile } from './exportImport';
import { flowApi, type FlowDetail } from './flowApi';
import { FIT_VIEW } from './EditorCanvas';
import type { SaveStatus } from './useAutosave';
import type { FlowEditor } from './useFlowEditor';

const SAVE_LABEL: Record<SaveStatus, string> = { saved: 'All changes saved', pending: 'Unsaved changes', saving: 'Saving…', error: 'Not saved' };
const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);
const mod = isMac ? '⌘' : 'Ctrl+';

export interface EditorToolbarProps {
  flow: FlowDetail;
  liveVersion: number | null;
  name: string;
  onRename: (name: string) => void;
  editor: FlowEditor;
  readOnly: boolean;
  saveStatus: SaveStatus;
  saveError: string | null;
  problemCount: number;
  flush: () => Promise<void>;
  onPublished: () => Promise<void>;
  onShowProblems: () => void;
  /** The server refused the graph (checks the builder cannot run, e.g. knowledge bases that no longer exist). */
  onRefused: (errors: GraphError[]) => void;
}

/** Skips re-rendering while nodes move: the editor object changes every drag frame, the toolbar's view does not. */
const sameToolbar = (a: EditorToolbarProps, b: EditorToolbarProps) =>
  (Object.keys(a) as (keyof EditorToolbarProps)[]).every((k) => k === 'editor' || a[k] === b[k]) && a.editor.canUndo === b.editor.canUndo && a.editor.canRedo === b.editor.canRedo;

export const EditorToolbar = memo(function EditorToolbar(props: EditorToolbarProps) {
  const { flow, liveVersion, name, onRename, editor, readOnly, saveStatus, saveError, problemCount, flush, onPublished, onShowProblems, onRefused } = props;
  const toast = useToast();
  const view = useReactFlow();
  const fileRef = useRef<HTMLInputElement>(null);
  const [publishing, setPublishing] = useState(false);
  const [savedName, setSavedName] = useState(flow.name);

  const saveName = async () => {
    const trimmed = name.trim();
    if (!trimmed) return onRename(savedName);
    if (trimmed === savedName) return;
    try {
      await flowApi.saveDraft(flow.id, { name: trimmed });
      setSavedName(trimmed);
    } catch (err) {
      toast.error(`Could not rename: ${(err as Error).message}`);
    }
  };

  const importFile = async (file: File) => {
    try {
      editor.replaceGraph(parseFlowFile(await file.text(), file.name).graph);
      toast.success('Imported into the draft (undo reverts it)');
      setTimeout(() => void view.fitView({ ...FIT_VIEW, duration: 300 }), 50);
    } catch (err) {
      toast.error(`Import failed: ${(err as Error).message}`);
    }
  };

  return (
    <header className="editor-toolbar">
      <Link to="/flows" aria-label="Back to flows">
        ← Flows
      </Link>
      <Input className="flow-name" aria-label="Flow name" value={name} disabled={readOnly} maxLength={200} onChange={(e) => onRename(e.target.value)} onBlur={() => void saveName()} onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()} />
      {liveVersion !== null && <Badge tone="success">live: v{liveVersion}</Badge>}
      <span className="save-status" role="status" title={saveError ?? undefined} data-save-status={saveStatus}>
        {saveStatus === 'error' && saveError ? `${SAVE_LABEL.error}: ${saveError}` : SAVE_LABEL[saveStatus]}
        {saveStatus === 'error' && (
          // A failure lands in saveStatus/saveError, shown right here.
          <Button size="sm" variant="ghost" onClick={() => void flush().catch(() => {})}>
            Retry
          </Button>
        )}
      </span>
      <span className="spacer" />
      {!readOnly && (
        <>
          <Button size="sm" onClick={editor.undo} disabled={!editor.canUndo} title={`Undo (${mod}Z)`}>
            Undo
          </Button>
          <Button size="sm" onClick={editor.redo} disabled={!editor.canRedo} title={`Redo (${mod}Shift+Z)`}>
            Redo
          </Button>
          <Button
            size="sm"
            onClick={() => {
              editor.layout();
              setTimeout(() => void view.fitView({ ...FIT_VIEW, duration: 300 }), 50);
            }}
          >
            Auto-layout
          </Button>
        </>
      )}
      <Button size="sm" onClick={() => void view.fitView({ ...FIT_VIEW, duration: 300 })}>
        Zoom to fit
      </Button>
      <span className="sep" />
      <Button size="sm" onClick={() => downloadFlowFile(name, flow.description, editor.toGraph())}>
        Export
      </Button>
      {!readOnly && (
        <>
          <Button size="sm" onClick={() => fileRef.current?.click()}>
            Import
          </Button>
          <input
            ref={fileRef}
            type="file"
            accept="application/json,.json"
            className="sr-only"
            tabIndex={-1}
            aria-label="Import a flow JSON file into this draft"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void importFile(file);
            }}
          />
          <span className="sep" />
          {problemCount > 0 && (
            <Button size="sm" variant="ghost" onClick={onShowProblems}>
              <Badge tone="danger">{problemCount} problem{problemCount > 1 ? 's' : ''}</Badge>
            </Button>
          )}
          <Button variant="primary" size="sm" disabled={problemCount > 0} title={problemCount > 0 ? 'Fix the problems first' : undefined} onClick={() => setPublishing(true)}>
            Publish
          </Button>
        </>
      )}
      <PublishDialog
        open={publishing}
        onClose={() => setPublishing(false)}
        publish={async (note) => {
          await flush();
          let version: number;
          try {
            ({ version } = await flowApi.publish(flow.id, note));
          } catch (err) {
            if (!(err instanceof ApiError && err.code === 'flow_invalid' && Array.isArray(err.details))) throw err;
            setPublishing(false);
            toast.error(`Publishing was refused: ${err.message}`);
            return onRefused(err.details as GraphError[]);
          }
          toast.success(`Published version ${version}`);
          setPublishing(false);
          await onPublished();
        }}
      />
    </header>
  );
}, sameToolbar);

function PublishDialog({ open, onClose, publish }: { open: boolean; onClose: () => void; publish: (note: string) => Promise<void> }) {
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await publish(note.trim());
      setNote('');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <FormDialog title="Publish the draft" open={open} onClose={onClose} onSubmit={() => void submit()} submitLabel="Publish" busy={busy}>
      <p>New conversations use the new version; conversations already running keep theirs.</p>
      <Field label="Note" help="What changed, for the version list." error={error}>
        <Textarea autoFocus value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
      </Field>
    </FormDialog>
  );
}
