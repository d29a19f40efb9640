/** Typed search-attribute keys, made from the one table in core/workflows.ts; shared by workflows and their clients. */
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import { SEARCH_ATTRIBUTES, type RunAttributes, type SearchAttributeName } from '../core/workflows';

export const SEARCH_ATTRIBUTE_KEYS = Object.fromEntries(
  Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) => [name, defineSearchAttributeKey(name, SearchAttributeType[type])]),
) as Record<SearchAttributeName, ReturnType<typeof defineSearchAttributeKey>>;

/** Typed pairs for the values given, in their order, leaving out the ones without a value. */
export function searchAttributePairs(values: RunAttributes): SearchAttributePair[] {
  return (Object.keys(values) as SearchAttributeName[])
    .filter((k) => values[k] !== undefined)
    .map((k) => ({ key: SEARCH_ATTRIBUTE_KEYS[k], value: values[k] }) as SearchAttributePair);
}
