/** Loads a flow and hands it to the editor; a failed load says why instead of showing an empty canvas. */
import { useCallback, useEffect, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { Button, EmptyState, Spinner } from '../ui';
import { navigate } from '../app/router';
import { flowApi, type FlowDetail } from './flowApi';
import { FlowEditor } from './FlowEditor';

export function FlowEditorPage({ flowId }: { flowId: string }) {
  const [flow, setFlow] = useState<FlowDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    () =>
      flowApi.get(flowId).then((f) => {
        // User Timing mark: bench/console.ts measures the editor's render from here.
        performance.mark('flow-loaded');
        setFlow(f);
      }, (err: Error) => setError(err.message)),
    [flowId],
  );
  useEffect(() => {
    void load();
  }, [load]);

  if (error)
    return (
      <EmptyState title="This flow could not be opened" action={<Button onClick={() => navigate('/flows')}>Back to flows</Button>}>
        {error}
      </EmptyState>
    );
  if (!flow)
    return (
      <div className="center-fill">
        <Spinner label="Loading the flow" />
      </div>
    );
  return (
    <ReactFlowProvider>
      <FlowEditor flow={flow} />
    </ReactFlowProvider>
  );
}
