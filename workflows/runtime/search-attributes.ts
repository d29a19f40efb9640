/** Typed upserts of the search attributes every workflow carries (DESIGN.md §2). */
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { upsertSearchAttributes } from '@temporalio/workflow';
import { ChannelKey, FlowIdKey, FlowVersionKey, StatusKey, TenantIdKey } from '../search-attributes';

const keys = { TenantId: TenantIdKey, FlowId: FlowIdKey, FlowVersion: FlowVersionKey, Channel: ChannelKey, Status: StatusKey };

export interface RunAttributes {
  TenantId?: string;
  FlowId?: string;
  FlowVersion?: number;
  Channel?: string;
  Status?: string;
}

/** The namespace must have these attributes registered (temporal/ setup), or the workflow task fails. */
export function setRunAttributes(values: RunAttributes): void {
  const pairs = (Object.keys(values) as (keyof RunAttributes)[])
    .filter((k) => values[k] !== undefined)
    .map((k) => ({ key: keys[k], value: values[k] }) as SearchAttributeUpdatePair);
  if (pairs.length) upsertSearchAttributes(pairs);
}
