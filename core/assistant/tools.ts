/**
 * The marketing assistant's tools (llmReply `marketingTools`): what the model is told about them.
 * They read the tenant's own figures (analytics, campaigns, menu, the presence grader) and write
 * drafts in its brand voice; the workflow passes only the tenant id, so no argument the model
 * sends can reach another tenant. Each result comes back with a `source` the answer cites.
 */
import type { ToolSpec } from '../chat';
import { PERIODS } from './period';

const PERIOD_ARGS = {
  period: { type: 'string', enum: [...PERIODS], description: 'A named period in the business’s timezone (weeks start on Monday); default last_7_days' },
  from: { type: 'string', description: 'First day YYYY-MM-DD, instead of period' },
  to: { type: 'string', description: 'Last day YYYY-MM-DD (inclusive), instead of period; default today' },
} as const;

export const DRAFT_CHANNELS = ['instagram', 'facebook', 'google', 'sms', 'email', 'whatsapp'] as const;
export type DraftChannel = (typeof DRAFT_CHANNELS)[number];

const spec = (name: string, description: string, properties: Record<string, unknown>, required: string[] = []): ToolSpec => ({
  name,
  description,
  parameters: { type: 'object', properties, ...(required.length ? { required } : {}) },
});

export const ASSISTANT_TOOLS: readonly ToolSpec[] = [
  spec(
    'analytics_overview',
    'Conversation figures for a period and the period of the same length before it: conversations, messages, resolution rate (closed without a human), handoff rate, first response time, CSAT average and responses.',
    { ...PERIOD_ARGS, channel: { type: 'string', description: 'Only this channel (webchat, whatsapp, sms, email, messenger, voice, api)' } },
  ),
  spec('analytics_by_channel', 'The same conversation figures per channel for a period, busiest channel first.', { ...PERIOD_ARGS }),
  spec(
    'list_campaigns',
    'The business’s campaigns, most recent first, each with its status, dates and results so far (sent, delivered, read, replied, clicked, failed).',
    { status: { type: 'string', description: 'Only campaigns in this status (draft, scheduled, sending, completed, cancelled…)' }, limit: { type: 'integer', description: 'At most this many (default 10, at most 25)' } },
  ),
  spec(
    'campaign_results',
    'One campaign’s results: totals, per channel, per A/B variant, the main failure reasons and link clicks. Without campaignId or name, the campaign started most recently.',
    { campaignId: { type: 'string', description: 'Id of the campaign, from list_campaigns' }, name: { type: 'string', description: 'Part of the campaign’s name, e.g. "happy hour"' } },
  ),
  spec(
    'draft_post',
    'Writes a social post or message in the business’s brand voice (its model, or the offline template writer without one). Nothing is published or sent: the owner copies or edits it.',
    {
      channel: { type: 'string', enum: [...DRAFT_CHANNELS], description: 'Where it will be posted or sent' },
      topic: { type: 'string', description: 'What it is about, e.g. "live music on Friday night"' },
      offer: { type: 'string', description: 'An offer to mention, if any' },
      dates: { type: 'string', description: 'When, in words ("Friday 8 pm")' },
      callToAction: { type: 'string', description: 'What readers should do ("book a table")' },
      link: { type: 'string', description: 'A URL for the call to action' },
    },
    ['channel', 'topic'],
  ),
  spec(
    'menu_matrix',
    'Menu engineering (Kasavana & Smith) for a period, default the last 30 days: each item’s class (star, plowhorse, puzzle, dog) with its units sold, menu-mix share against the popularity threshold and unit margin against the category’s average. With item, just that item.',
    { ...PERIOD_ARGS, item: { type: 'string', description: 'An item’s name or part of it, e.g. "burger"' }, category: { type: 'string', description: 'Only this menu category' } },
  ),
  spec(
    'menu_top_items',
    'The best or worst selling menu items of a period (default the last 30 days) by units sold, revenue or total margin.',
    {
      ...PERIOD_ARGS,
      by: { type: 'string', enum: ['quantity', 'revenue', 'margin'], description: 'Rank by (default quantity)' },
      order: { type: 'string', enum: ['top', 'bottom'], description: 'top: best sellers (default); bottom: worst' },
      limit: { type: 'integer', description: 'How many (default 5, at most 20)' },
      category: { type: 'string', description: 'Only this menu category' },
    },
  ),
  spec(
    'presence_grade',
    'The business’s latest presence audit (website, listings, structured data…): score 0–100, grade, category scores and top recommendations, and what changed since the audit of the same site before it, with the checks that moved the score, biggest loss first. Use it for "why did my grade drop?".',
    {},
  ),
  spec('menu_slow_days', 'Menu sales per weekday over a period (default the last 30 days), slowest first, as average units sold per such day.', { ...PERIOD_ARGS }),
];

export const TOOL_SOURCE_PREFIX = 'tool:';

export const ASSISTANT_TOOL_NAMES: ReadonlySet<string> = new Set(ASSISTANT_TOOLS.map((t) => t.name));

/** What an answer cites: the tool result it used, as a heading and the figures in one line. */
export interface AssistantSource {
  /** `tool:<name>`: tells a tool's figures from a knowledge-base document among a message's citations. */
  documentId: string;
  /** e.g. "Analytics · last week (2026-11-23 – 2026-11-29)". */
  document: string;
  /** e.g. "conversations 42 · resolution 71 % · handoff 12 %". */
  section: string;
}

export interface AssistantToolResult {
  /** JSON text for the model (or `error: …`). */
  content: string;
  /** Absent when the tool failed. */
  source?: AssistantSource;
}
