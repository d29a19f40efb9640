/** Typed search-attribute keys (DESIGN.md §2), shared by workflows and the API. */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const TenantIdKey = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const FlowIdKey = defineSearchAttributeKey('FlowId', SearchAttributeType.KEYWORD);
export const FlowVersionKey = defineSearchAttributeKey('FlowVersion', SearchAttributeType.INT);
export const ChannelKey = defineSearchAttributeKey('Channel', SearchAttributeType.KEYWORD);
export const StatusKey = defineSearchAttributeKey('Status', SearchAttributeType.KEYWORD);
