/** A model provider failing while content is written is the provider's outage, answered 503, not a 500 of ours. */
import { ApplicationFailure } from '@temporalio/common';
import { AppError } from '../../core/errors';

export async function withModel<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof ApplicationFailure) throw new AppError('upstream_unavailable', `the language model could not write this: ${err.message}`);
    throw err;
  }
}
