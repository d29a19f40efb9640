/**
 * Saves the draft a moment after the last edit (PUT /v1/flows/:id). Saves never overlap: an edit
 * made while a save is in flight is saved right after it. `flush()` saves now (before publishing
 * or starting a test) and resolves when the server has the latest revision.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { GraphInput } from '../../../core/graph/schema';
import { useToast } from '../ui';
import { flowApi } from './flowApi';

export type SaveStatus = 'saved' | 'pending' | 'saving' | 'error';
const DELAY_MS = 800;

export function useAutosave(flowId: string, revision: number, getGraph: () => GraphInput) {
  const [status, setStatus] = useState<SaveStatus>('saved');
  const [error, setError] = useState<string | null>(null);
  const savedRevision = useRef(revision);
  const latest = useRef(revision);
  const inFlight = useRef<Promise<void> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const toast = useToast();
  latest.current = revision;

  const save = useCallback(async (): Promise<void> => {
    if (inFlight.current) await inFlight.current;
    if (savedRevision.current === latest.current) return;
    const target = latest.current;
    setStatus('saving');
    inFlight.current = flowApi
      .saveDraft(flowId, { graph: getGraph() })
      .then(() => {
        savedRevision.current = target;
        setError(null);
        setStatus(latest.current === target ? 'saved' : 'pending');
      })
      .catch((err: Error) => {
        setError(err.message);
        setStatus('error');
        throw err;
      })
      .finally(() => {
        inFlight.current = null;
      });
    await inFlight.current;
    // Edits that arrived during the save.
    if (savedRevision.current !== latest.current) await save();
  }, [flowId, getGraph]);

  useEffect(() => {
    if (revision === savedRevision.current) return;
    setStatus((s) => (s === 'saving' ? s : 'pending'));
    clearTimeout(timer.current);
    // A failed save shows as the toolbar's "Not saved" status with its reason and a Retry.
    timer.current = setTimeout(() => void save().catch(() => {}), DELAY_MS);
  }, [revision, save]);

  // Leaving with unsaved work: save now and let the browser warn.
  useEffect(() => {
    const onUnload = (e: BeforeUnloadEvent) => {
      if (savedRevision.current === latest.current) return;
      // The browser asks whether to leave; an error here has no page left to show on.
      void save().catch(() => {});
      e.preventDefault();
    };
    window.addEventListener('beforeunload', onUnload);
    return () => {
      window.removeEventListener('beforeunload', onUnload);
      clearTimeout(timer.current);
      // Navigating inside the app unmounts the editor: do not drop the last edits, and say so
      // if they could not be saved (the save status went away with the editor).
      if (savedRevision.current !== latest.current) void save().catch((err: Error) => toast.error(`Your last edits to the flow were not saved: ${err.message}`));
    };
  }, [save, toast]);

  const flush = useCallback(async () => {
    clearTimeout(timer.current);
    await save();
  }, [save]);

  return { status, error, flush };
}
