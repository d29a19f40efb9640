/** A loaded list's states: the load error above, a spinner until the first answer, then the content. */
import type { ReactNode } from 'react';
import { Spinner } from '../../ui';
import { errorMessage } from './errors';
import type { Query } from './useQuery';

export function QueryStatus<T>({ query, loadingLabel, children }: { query: Pick<Query<T>, 'data' | 'error' | 'loading'>; loadingLabel: string; children: (data: T | undefined) => ReactNode }) {
  return (
    <>
      {query.error != null && (
        <p className="pg-error-text" role="alert">
          {errorMessage(query.error)}
        </p>
      )}
      {!query.data && query.loading ? (
        <div className="pg-center">
          <Spinner label={loadingLabel} />
        </div>
      ) : (
        children(query.data)
      )}
    </>
  );
}
