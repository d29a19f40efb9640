/**
 * Data loading for pages: the last good data stays on screen while a reload runs (no layout jump),
 * stale answers are dropped when the inputs change, and `setData` lets live updates patch it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

export interface Query<T> {
  data: T | undefined;
  error: unknown;
  /** True until the first answer (or error) for the current inputs. */
  loading: boolean;
  reload: () => Promise<void>;
  setData: (update: T | ((prev: T | undefined) => T)) => void;
}

export function useQuery<T>(load: () => Promise<T>, deps: readonly unknown[], opts: { enabled?: boolean } = {}): Query<T> {
  const enabled = opts.enabled ?? true;
  const [data, setDataState] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(enabled);
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = useCallback(async (fresh: boolean) => {
    const mine = ++generation.current;
    if (fresh) setLoading(true);
    try {
      const value = await loadRef.current();
      if (mine !== generation.current) return;
      setDataState(value);
      setError(null);
    } catch (err) {
      if (mine === generation.current) setError(err);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (!enabled) {
      generation.current++;
      setLoading(false);
      return;
    }
    void run(true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enabled, ...deps]);

  const reload = useCallback(() => run(false), [run]);
  const setData = useCallback((update: T | ((prev: T | undefined) => T)) => {
    setDataState((prev) => (typeof update === 'function' ? (update as (p: T | undefined) => T)(prev) : update));
  }, []);
  return { data, error, loading, reload, setData };
}

/**
 * Calls `tick` every `intervalMs` while `active`, never overlapping two calls. A failed tick is
 * retried on the next one; its error is returned until a tick succeeds, for the page to show
 * next to the last good state.
 */
export function usePolling(tick: () => Promise<unknown> | void, intervalMs: number, active: boolean): { error: unknown } {
  const tickRef = useRef(tick);
  tickRef.current = tick;
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!active) {
      setError(null);
      return;
    }
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const loop = async () => {
      try {
        await tickRef.current();
        if (!stopped) setError(null);
      } catch (err) {
        if (!stopped) setError(err);
      }
      if (!stopped) timer = setTimeout(loop, intervalMs);
    };
    timer = setTimeout(loop, intervalMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [intervalMs, active]);
  return { error };
}

/**
 * Live updates that arrive while a read is in flight. The read may have started before a change
 * and finished after its frame was delivered, so its result is older than the frame: apply what
 * was collected on top of the result. Feeds are ordered, so the last update wins.
 */
export class LoadBuffer<T> {
  private current: T[] | null = null;

  /** Starts collecting for one read; pass the returned list to `end` when it settles. */
  start(): T[] {
    const pending: T[] = [];
    this.current = pending;
    return pending;
  }

  push(update: T) {
    this.current?.push(update);
  }

  end(pending: T[]) {
    if (this.current === pending) this.current = null;
  }

  /** Runs `read`, then folds the updates that arrived meanwhile into its result. */
  async around<R>(read: () => Promise<R>, apply: (result: R, update: T) => R): Promise<R> {
    const pending = this.start();
    try {
      const result = await read();
      return pending.reduce(apply, result);
    } finally {
      this.end(pending);
    }
  }
}
