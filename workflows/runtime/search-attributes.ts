/** Typed upserts of the search attributes every workflow carries (DESIGN.md §2). */
import { upsertSearchAttributes } from '@temporalio/workflow';
import type { RunAttributes } from '../../core/workflows';
import { searchAttributePairs } from '../search-attributes';

export type { RunAttributes };

/** The namespace must have these attributes registered (temporal/ setup), or the workflow task fails. */
export function setRunAttributes(values: RunAttributes): void {
  const pairs = searchAttributePairs(values);
  if (pairs.length) upsertSearchAttributes(pairs);
}
