/**
 * "Are you sure?" flows: remember which item the person asked about, show the confirm dialog, run
 * the action on confirm (failures as a toast) and close the dialog when it succeeds.
 */
import { useState, type ReactNode } from 'react';
import { ConfirmDialog } from '../../ui';
import { useToastAction, type useAsyncAction } from './useAsyncAction';

export interface ConfirmActionOptions<T> {
  title: ReactNode;
  confirmLabel: string;
  message: (item: T) => ReactNode;
  run: (item: T) => Promise<unknown>;
  /** Share the busy state with the page's other row actions (the key is the item's `keyOf`). */
  action?: ReturnType<typeof useAsyncAction>;
  keyOf?: (item: T) => string;
}

export function useConfirmAction<T>({ title, confirmLabel, message, run, action: shared, keyOf }: ConfirmActionOptions<T>) {
  const [target, setTarget] = useState<T | null>(null);
  const own = useToastAction();
  const action = shared ?? own;
  const confirm = (item: T) =>
    action.run(keyOf?.(item) ?? 'confirm', async () => {
      await run(item);
      setTarget(null);
    });
  const dialog = (
    <ConfirmDialog
      open={target !== null}
      title={title}
      message={target !== null && message(target)}
      confirmLabel={confirmLabel}
      danger
      busy={action.busy}
      onConfirm={() => target !== null && void confirm(target)}
      onCancel={() => setTarget(null)}
    />
  );
  return { ask: setTarget, target, dialog };
}
