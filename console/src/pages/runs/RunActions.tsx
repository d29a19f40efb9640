/**
 * Operating a run (builders and admins): cancel, terminate with a reason, send one of the
 * workflow's signals, reset to a node. Each asks for confirmation; API errors show next to the
 * field they name.
 */
import { useState, type ReactNode } from 'react';
import { api } from '../../api/client';
import { Button, ConfirmDialog, Field, FormError, Input, Select, Textarea, useToast } from '../../ui';
import { useFormErrors } from '../shared/errors';
import { resetTargets } from './reset';
import type { NodeHistory, RunActionResult } from './types';

type Action = 'cancel' | 'terminate' | 'signal' | 'reset';

/** Signals worth offering per workflow type, with an example payload (the API refuses any other). */
const SIGNALS: Record<string, { name: string; args: string }[]> = {
  conversation: [
    { name: 'agentMessage', args: '[{"text": "", "agent": ""}]' },
    { name: 'takeOver', args: '[{"agent": ""}]' },
    { name: 'release', args: '[]' },
    { name: 'close', args: '[]' },
    { name: 'inbound', args: '[{"text": ""}]' },
  ],
  flowRun: [{ name: 'resume', args: '[{"text": ""}]' }],
};

const DONE: Record<Action, string> = { cancel: 'Cancellation requested', terminate: 'Run terminated', signal: 'Signal sent', reset: 'Run reset' };

interface Props {
  runId: string;
  type: string;
  running: boolean;
  path: NodeHistory[];
  onDone: (newRunId?: string) => void;
}

export function RunActions({ runId, type, running, path, onDone }: Props) {
  const toast = useToast();
  const signals = SIGNALS[type] ?? [];
  const [open, setOpen] = useState<Action | null>(null);
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState('');
  const [signal, setSignal] = useState(signals[0]?.name ?? '');
  const [args, setArgs] = useState(signals[0]?.args ?? '[]');
  const [nodeId, setNodeId] = useState('');
  const { errors, capture, clear, setField, fieldError } = useFormErrors(['reason', 'name', 'args', 'nodeId', 'runId']);
  const targets = resetTargets(path);
  const resettable = targets.filter((t) => !t.unavailable);

  const show = (action: Action) => {
    clear();
    if (action === 'reset' && !resettable.some((t) => t.nodeId === nodeId)) setNodeId(resettable[0]?.nodeId ?? '');
    setOpen(action);
  };

  const body = (): unknown => {
    if (open === 'terminate') return reason.trim() ? { reason: reason.trim() } : {};
    if (open === 'signal') return { name: signal, args: JSON.parse(args) };
    if (open === 'reset') return { nodeId };
    return undefined;
  };

  const confirm = async () => {
    if (!open) return;
    let payload: unknown;
    try {
      payload = body();
    } catch {
      return setField('args', 'Arguments must be a JSON array, e.g. [{"text": "yes"}].');
    }
    if (open === 'signal' && !Array.isArray((payload as { args: unknown }).args)) return setField('args', 'Arguments must be a JSON array.');
    setBusy(true);
    clear();
    try {
      const result = await api.post<RunActionResult>(`/v1/runs/${encodeURIComponent(runId)}/${open}`, payload);
      toast.success(DONE[open]);
      setOpen(null);
      onDone(result?.runId);
    } catch (err) {
      capture(err);
    } finally {
      setBusy(false);
    }
  };

  const formError = errors.form || fieldError('runId');
  const dialog = (action: Action, title: string, confirmLabel: string, danger: boolean, content: ReactNode) => (
    <ConfirmDialog
      open={open === action}
      title={title}
      confirmLabel={confirmLabel}
      danger={danger}
      busy={busy}
      onCancel={() => setOpen(null)}
      onConfirm={() => void confirm()}
      message={
        <>
          {content}
          <FormError message={formError} />
        </>
      }
    />
  );

  return (
    <>
      <Button onClick={() => show('cancel')} disabled={!running}>
        Cancel
      </Button>
      <Button variant="danger" onClick={() => show('terminate')} disabled={!running}>
        Terminate
      </Button>
      <Button onClick={() => show('signal')} disabled={!running || signals.length === 0}>
        Signal…
      </Button>
      <Button onClick={() => show('reset')} disabled={resettable.length === 0} title={resettable.length === 0 ? 'No executed node ran an activity: there is no point to reset to' : undefined}>
        Reset to node…
      </Button>

      {dialog('cancel', 'Cancel this run?', 'Cancel run', false, <p>The workflow is asked to stop; it may finish what it is doing first.</p>)}
      {dialog(
        'terminate',
        'Terminate this run?',
        'Terminate',
        true,
        <>
          <p>The run stops at once, without cleaning up.</p>
          <Field label="Reason" help="Recorded in the run's history." error={fieldError('reason')}>
            <Input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="terminated from the console" />
          </Field>
        </>,
      )}
      {dialog(
        'signal',
        'Send a signal',
        'Send signal',
        false,
        <>
          <Field label="Signal" error={fieldError('name')}>
            <Select
              value={signal}
              onChange={(e) => {
                setSignal(e.target.value);
                setArgs(signals.find((s) => s.name === e.target.value)?.args ?? '[]');
              }}
              options={signals.map((s) => s.name)}
            />
          </Field>
          <Field label="Arguments (JSON array)" error={fieldError('args')}>
            <Textarea className="pg-mono" value={args} onChange={(e) => setArgs(e.target.value)} rows={4} />
          </Field>
        </>,
      )}
      {dialog(
        'reset',
        'Reset to a node?',
        'Reset',
        true,
        <>
          <p>A new run starts from just before the node's first activity; the current run is terminated.</p>
          <Field label="Node" help="Only nodes that ran an activity (a message, a model call, an HTTP call…) mark a point to reset to." error={fieldError('nodeId')}>
            <Select
              value={nodeId}
              onChange={(e) => setNodeId(e.target.value)}
              options={targets.map((t) => ({
                value: t.nodeId,
                label: `${t.nodeId} (${t.type ?? 'node'})${t.unavailable ? ` — ${t.unavailable}` : ''}`,
                disabled: Boolean(t.unavailable),
              }))}
            />
          </Field>
        </>,
      )}
    </>
  );
}
