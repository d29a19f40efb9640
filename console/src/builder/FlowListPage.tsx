/** Flows of the workspace: open one, create a blank one or one from a template, or import a JSON export. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { can, useAuth } from '../app/auth';
import { navigate } from '../app/router';
import { Badge, Button, EmptyState, Field, FormDialog, Input, Select, Spinner, Table, Textarea, useToast } from '../ui';
import { flowApi, BLANK_GRAPH, type FlowSummary, type FlowTemplate } from './flowApi';
import { parseFlowFile } from './exportImport';

export function FlowListPage() {
  const { user } = useAuth();
  const toast = useToast();
  const [flows, setFlows] = useState<FlowSummary[] | null>(null);
  const [creating, setCreating] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    flowApi.list().then(setFlows, (err: Error) => {
      setFlows([]);
      toast.error(`Could not load flows: ${err.message}`);
    });
  }, [toast]);

  const importFile = async (file: File) => {
    try {
      const { name, description, graph } = parseFlowFile(await file.text(), file.name);
      const { id } = await flowApi.create({ name, description, graph });
      toast.success(`Imported “${name}”`);
      navigate(`/flows/${id}`);
    } catch (err) {
      toast.error(`Import failed: ${(err as Error).message}`);
    }
  };

  const builder = can.build(user?.role);
  return (
    <div className="page">
      <div className="page-head">
        <h1>Flows</h1>
        {builder && (
          <div className="page-head-actions">
            <Button onClick={() => fileRef.current?.click()}>Import JSON</Button>
            <input
              ref={fileRef}
              type="file"
              accept="application/json,.json"
              className="sr-only"
              aria-label="Import a flow from a JSON file"
              tabIndex={-1}
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (file) void importFile(file);
              }}
            />
            <Button variant="primary" onClick={() => setCreating(true)}>
              New flow
            </Button>
          </div>
        )}
      </div>
      {flows === null ? (
        <Spinner />
      ) : flows.length === 0 ? (
        <EmptyState title="No flows yet" action={builder && <Button variant="primary" onClick={() => setCreating(true)}>Create your first flow</Button>}>
          A flow is what your assistant does in a conversation: ask, answer, branch, call APIs, hand off.
        </EmptyState>
      ) : (
        <Table
          caption="Flows"
          rows={flows}
          rowKey={(f) => f.id}
          onRowClick={(f) => navigate(`/flows/${f.id}`)}
          columns={[
            { key: 'name', header: 'Name', render: (f) => <a href={`#/flows/${f.id}`}>{f.name}</a> },
            { key: 'description', header: 'Description', render: (f) => f.description ?? '' },
            { key: 'latestVersion', header: 'Published', render: (f) => (f.latestVersion ? <Badge tone="success">v{f.latestVersion}</Badge> : <Badge>draft only</Badge>) },
            { key: 'updatedAt', header: 'Last edited', render: (f) => new Date(f.updatedAt).toLocaleString() },
          ]}
        />
      )}
      <CreateFlowDialog open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}

function CreateFlowDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const toast = useToast();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [templateId, setTemplateId] = useState('');
  const [templates, setTemplates] = useState<FlowTemplate[]>([]);
  const [templatesError, setTemplatesError] = useState<string | null>(null);
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const loadTemplates = useCallback(
    () =>
      flowApi.templates().then(
        (items) => {
          setTemplates(items);
          setTemplatesError(null);
        },
        (err: Error) => setTemplatesError(`Templates could not be loaded: ${err.message}`),
      ),
    [],
  );
  useEffect(() => {
    if (open) void loadTemplates();
  }, [open, loadTemplates]);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const body = templateId ? { name, description: description || undefined, templateId } : { name, description: description || undefined, graph: BLANK_GRAPH };
      const { id } = await flowApi.create(body);
      onClose();
      navigate(`/flows/${id}`);
    } catch (err) {
      if (err instanceof ApiError) setError({ field: err.field, message: err.message });
      else toast.error(String(err));
    } finally {
      setBusy(false);
    }
  };

  const chosen = templates.find((t) => t.id === templateId);
  return (
    <FormDialog title="New flow" open={open} onClose={onClose} onSubmit={() => void submit()} submitLabel="Create" busy={busy} submitDisabled={!name.trim()}>
      <Field label="Name" error={error && (error.field === 'name' || !error.field) ? error.message : undefined}>
        <Input autoFocus value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
      </Field>
      <Field label="Description" help="Optional: what this flow is for.">
        <Textarea value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} rows={2} />
      </Field>
      <Field label="Start from" help={chosen?.description ?? 'A Start node connected to an End node.'} error={error?.field === 'templateId' ? error.message : (templatesError ?? undefined)}>
        <Select value={templateId} onChange={(e) => setTemplateId(e.target.value)} options={[{ value: '', label: 'Blank flow' }, ...templates.map((t) => ({ value: t.id, label: t.name }))]} />
      </Field>
      {templatesError && (
        <Button size="sm" onClick={() => void loadTemplates()}>
          Retry loading templates
        </Button>
      )}
    </FormDialog>
  );
}
