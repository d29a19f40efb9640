import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { AppError } from '../core/errors';

/** The workflow's description; a 404 when there is none. */
export async function describeWorkflow(client: Client, workflowId: string) {
  try {
    return await client.workflow.getHandle(workflowId).describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new AppError('not_found', 'run not found', { field: 'workflowId' });
    throw err;
  }
}
