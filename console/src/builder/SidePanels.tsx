/** The editor's side panels besides the inspector: problems found by the validator, and versions. */
import { useState } from 'react';
import type { GraphError } from '../../../core/graph/schema';
import { Button, ConfirmDialog, EmptyState, FormError } from '../ui';
import type { FlowVersionSummary } from './flowApi';

export function ProblemsPanel({ problems, onPick }: { problems: GraphError[]; onPick: (nodeId: string) => void }) {
  if (problems.length === 0) return <EmptyState title="No problems">The flow is ready to publish.</EmptyState>;
  return (
    <ul className="problems" aria-label="Problems">
      {problems.map((p, i) => (
        <li key={i}>
          {p.nodeId ? (
            <button type="button" className="problem-link" onClick={() => onPick(p.nodeId!)}>
              {p.message}
            </button>
          ) : (
            <span>{p.message}</span>
          )}
        </li>
      ))}
    </ul>
  );
}

interface VersionsPanelProps {
  versions: FlowVersionSummary[];
  /** Why the list could not be loaded (the last list loaded stays below it). */
  error: string | null;
  onRetry: () => Promise<void>;
  onRestore: (version: number) => Promise<void>;
  readOnly: boolean;
}

export function VersionsPanel({ versions, error, onRetry, onRestore, readOnly }: VersionsPanelProps) {
  const [confirm, setConfirm] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const failure = error && (
    <div className="versions-error">
      <FormError message={error} />
      <Button size="sm" onClick={() => void onRetry()}>
        Retry
      </Button>
    </div>
  );
  if (versions.length === 0) return failure || <EmptyState title="Not published yet">Publish the draft to create version 1.</EmptyState>;
  return (
    <>
      {failure}
      <ol className="versions" aria-label="Published versions">
        {versions.map((v) => (
          <li key={v.version}>
            <div className="versions-head">
              <strong>v{v.version}</strong>
              <span className="field-help">{new Date('publishedAt' in v ? v.publishedAt : v.createdAt).toLocaleString()}</span>
              {!readOnly && (
                <Button size="sm" onClick={() => setConfirm(v.version)}>
                  Restore
                </Button>
              )}
            </div>
            {v.note && <div className="versions-note">{v.note}</div>}
            {'createdBy' in v && v.createdBy && <div className="field-help">by {v.createdBy}</div>}
          </li>
        ))}
      </ol>
      <ConfirmDialog
        open={confirm !== null}
        title={`Restore version ${confirm}?`}
        message="The draft is replaced by this version's graph. The published versions do not change; publish again to make it live."
        confirmLabel="Restore"
        busy={busy}
        onCancel={() => setConfirm(null)}
        onConfirm={async () => {
          setBusy(true);
          try {
            await onRestore(confirm!);
            setConfirm(null);
          } finally {
            setBusy(false);
          }
        }}
      />
    </>
  );
}
