/** Typed upserts of the search attributes every workflow carries (DESIGN.md §2). */
import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { RunAttributes } from '../../core/workflows';
import { searchAttributePairs } from '../search-attributes';

export type { RunAttributes };

/** The namespace must have these attributes registered (temporal/ setup), or the workflow task fails. */
export function setRunAttributes(values: RunAttributes): void {
  const pairs = searchAttributePairs(values);
  if (pairs.length) upsertSearchAttributes(pairs);
}

/**
 * Upserts only the values that differ from the run's own: the ones it was started with, or
 * carried over by continue-as-new. An upsert is a history event and a visibility write, and a
 * conversation's start already sets its attributes.
 */
export function setChangedRunAttributes(values: RunAttributes): void {
  const current = workflowInfo().typedSearchAttributes;
  const changed = searchAttributePairs(values).filter(({ key, value }) => current.get(key) !== value);
  if (changed.length) upsertSearchAttributes(changed);
}
