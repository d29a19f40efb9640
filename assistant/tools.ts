/**
 * Runs one of the marketing assistant's tools (core/assistant/tools.ts) for one tenant. The
 * tenant comes from the caller (the conversation's workflow), never from the arguments. Every
 * result is JSON for the model, a `source` the answer cites (the figures in one line) and a
 * `summary` in sentences, which is the answer itself when no model is configured. Bad arguments
 * come back as `error: …` text, so the model can correct itself.
 */
import { CHANNELS, type Channel } from '../core/channels';
import { CAMPAIGN_STATUSES, campaignBrief, type CampaignChannel, type CampaignStatus } from '../core/campaigns';
import { previousPeriod } from '../core/assistant/period';
import { DRAFT_CHANNELS, TOOL_SOURCE_PREFIX, type DraftChannel } from '../core/assistant/tools';
import { isUuid } from '../core/ids';
import { generateCampaignContent } from '../campaigns/content/generate';
import { change, csat, figuresLine, funnelLine, pct, secs } from './format';
import { MENU_TOOL_RUNNERS } from './menu-tools';
import { PRESENCE_TOOL_RUNNERS } from './presence-tools';
import { byChannel, campaignNames, campaignWithResults, listCampaigns, overviewTotals } from './store';
import { capital, failed, periodOf, str, type Args, type AssistantDeps, type Tool, type ToolOutcome, mentionedIn } from './tool-kit';

export type { AssistantDeps, ToolOutcome };

const analyticsOverviewTool: Tool = async (deps, tenantId, args, now) => {
  const channel = str(args, 'channel');
  if (channel && !(CHANNELS as readonly string[]).includes(channel)) return failed(`channel must be one of ${CHANNELS.join(', ')}`);
  const resolved = await periodOf(deps, tenantId, args, now);
  if ('error' in resolved) return failed(resolved.error);
  const { period, timezone } = resolved;
  const before = previousPeriod(period);
  const ch = channel as Channel | undefined;
  const [current, previous] = await Promise.all([overviewTotals(deps.orm, tenantId, { ...period, timezone }, ch), overviewTotals(deps.orm, tenantId, { ...before, timezone }, ch)]);
  const scope = ch ? ` · ${ch}` : '';
  const summary =
    `${capital(period.label)}${ch ? ` on ${ch}` : ''}: ${current.conversations} conversations (${change(current.conversations, previous.conversations)} on ${before.label}), ` +
    `resolution ${pct(current.resolutionRate)} (before ${pct(previous.resolutionRate)}), handoff ${pct(current.handoffRate)} (before ${pct(previous.handoffRate)}), ` +
    `first response ${secs(current.avgFirstResponseSeconds)}, CSAT ${csat(current)} (before ${csat(previous)}).`;
  return {
    content: JSON.stringify({ period: { ...period, timezone }, channel: ch ?? 'all', figures: current, previousPeriod: before, previousFigures: previous }),
    source: { document: `Analytics${scope} · ${period.label}`, section: `${figuresLine(current)} | before: conversations ${previous.conversations}, resolution ${pct(previous.resolutionRate)}, handoff ${pct(previous.handoffRate)}` },
    summary,
  };
};

const analyticsByChannelTool: Tool = async (deps, tenantId, args, now) => {
  const resolved = await periodOf(deps, tenantId, args, now);
  if ('error' in resolved) return failed(resolved.error);
  const { period, timezone } = resolved;
  const rows = await byChannel(deps.orm, tenantId, { ...period, timezone });
  const lines = rows.map((r) => `${r.label}: ${r.conversations} conversations, resolution ${pct(r.resolutionRate)}, handoff ${pct(r.handoffRate)}, CSAT ${csat(r)}`);
  return {
    content: JSON.stringify({ period: { ...period, timezone }, channels: rows.map(({ key: _k, ...r }) => r) }),
    source: { document: `Analytics by channel · ${period.label}`, section: rows.length ? rows.map((r) => `${r.label} ${r.conversations} (resolution ${pct(r.resolutionRate)})`).join(' · ') : 'no conversations' },
    summary: rows.length ? `${capital(period.label)}, by channel:\n${lines.map((l) => `- ${l}`).join('\n')}` : `No conversations ${period.label}.`,
  };
};

const listCampaignsTool: Tool = async (deps, tenantId, args) => {
  const status = str(args, 'status');
  if (status && !(CAMPAIGN_STATUSES as readonly string[]).includes(status)) return failed(`status must be one of ${CAMPAIGN_STATUSES.join(', ')}`);
  const limit = typeof args.limit === 'number' && Number.isInteger(args.limit) ? Math.min(Math.max(args.limit, 1), 25) : 10;
  const campaigns = await listCampaigns(deps.orm, tenantId, { status: status as CampaignStatus | undefined, limit });
  const lines = campaigns.map((c) => `${c.name} (${c.status.replaceAll('_', ' ')}${c.startedAt ? `, started ${c.startedAt.slice(0, 10)}` : ''}): ${funnelLine(c.counts)}`);
  return {
    content: JSON.stringify({ campaigns }),
    source: { document: `Campaigns${status ? ` · ${status}` : ''}`, section: campaigns.length ? campaigns.map((c) => `${c.name}: sent ${c.counts.sent}, replied ${c.counts.replied}, failed ${c.counts.failed}`).join(' · ') : 'no campaigns' },
    summary: campaigns.length ? `Your campaigns, most recent first:\n${lines.map((l) => `- ${l}`).join('\n')}` : 'You have no campaigns yet.',
  };
};

const campaignResultsTool: Tool = async (deps, tenantId, args) => {
  const idArg = str(args, 'campaignId');
  const name = str(args, 'name');
  let id: string | undefined;
  if (idArg) {
    if (!isUuid(idArg)) return failed('campaignId is not an id from list_campaigns');
    id = idArg;
  } else if (name) {
    id = (await listCampaigns(deps.orm, tenantId, { limit: 1, nameLike: name }))[0]?.id;
    if (!id) return failed(`no campaign is named like "${name}"`);
  } else {
    const question = str(args, 'mentionedIn');
    id = (question && mentionedIn(await campaignNames(deps.orm, tenantId), question)?.id) || (await listCampaigns(deps.orm, tenantId, { limit: 1 }))[0]?.id;
    if (!id) return failed('there are no campaigns yet');
  }
  const found = await campaignWithResults(deps.orm, tenantId, id);
  if (!found) return failed('campaign not found');
  const { campaign, results } = found;
  const t = results.totals;
  const channels = results.byChannel.map((c) => `${c.channel}: ${funnelLine(c)}`);
  const variants = results.byVariant.length > 1 ? results.byVariant.map((v) => `variant ${v.variant}: ${funnelLine(v)}`) : [];
  const failures = results.failures.slice(0, 3).map((f) => `${f.reason} (${f.count})`);
  const summary = [
    `"${campaign.name}" (${campaign.status.replaceAll('_', ' ')}${campaign.startedAt ? `, started ${campaign.startedAt.slice(0, 10)}` : ''}): ${funnelLine(t)}.`,
    ...channels.map((l) => `- ${l}`),
    ...variants.map((l) => `- ${l}`),
    ...(campaign.winnerVariant ? [`Winning variant: ${campaign.winnerVariant}.`] : []),
    ...(failures.length ? [`Main failure reasons: ${failures.join('; ')}.`] : []),
  ].join('\n');
  const { timeline: _timeline, ...rest } = results;
  return {
    content: JSON.stringify({ campaign, ...rest, failures: results.failures.slice(0, 10), clicks: results.clicks.slice(0, 10) }),
    source: { document: `Campaign results · ${campaign.name}`, section: funnelLine(t) },
    summary,
  };
};

const SOCIAL: ReadonlySet<DraftChannel> = new Set(['instagram', 'facebook', 'google']);

const draftPostTool: Tool = async (deps, tenantId, args) => {
  const channel = str(args, 'channel') as DraftChannel | undefined;
  if (!channel || !(DRAFT_CHANNELS as readonly string[]).includes(channel)) return failed(`channel must be one of ${DRAFT_CHANNELS.join(', ')}`);
  const social = SOCIAL.has(channel);
  const parsed = campaignBrief.safeParse({
    goal: str(args, 'topic'),
    offer: str(args, 'offer'),
    dates: str(args, 'dates'),
    callToAction: str(args, 'callToAction'),
    link: str(args, 'link'),
    channels: [social ? 'sms' : (channel as CampaignChannel)],
    social,
    variants: 1,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return failed(`${issue.path.join('.') === 'goal' ? 'topic' : issue.path.join('.')}: ${issue.message}`);
  }
  const generated = await generateCampaignContent(deps, tenantId, parsed.data, { workflowId: 'assistant' });
  const content = generated.variants[0]!.content;
  const text =
    channel === 'instagram' || channel === 'facebook' || channel === 'google'
      ? content.social?.[channel]
      : channel === 'email'
        ? content.email && `Subject: ${content.email.subject}\n\n${content.email.text}`
        : content[channel]?.text;
  if (!text) return failed('nothing was written');
  const warnings = [...generated.warnings, ...generated.variants[0]!.warnings.filter((w) => !social || !w.startsWith('sms'))];
  const by = generated.generatedBy.startsWith('model:') ? 'your model, in your brand voice' : 'the offline template writer, from your words only (configure a model for real copy)';
  return {
    content: JSON.stringify({ channel, text, generatedBy: generated.generatedBy, warnings }),
    source: { document: `Draft · ${channel}`, section: `written by ${generated.generatedBy}${warnings.length ? ` · ${warnings.length} warning${warnings.length > 1 ? 's' : ''}` : ''}` },
    summary: `${/^[aeiou]/.test(channel) ? 'An' : 'A'} ${channel} draft, written by ${by}. Nothing has been posted or sent:\n\n${text}${warnings.length ? `\n\nNotes: ${warnings.join('; ')}` : ''}`,
  };
};

export const ASSISTANT_TOOL_RUNNERS: Record<string, Tool> = {
  analytics_overview: analyticsOverviewTool,
  analytics_by_channel: analyticsByChannelTool,
  list_campaigns: listCampaignsTool,
  campaign_results: campaignResultsTool,
  draft_post: draftPostTool,
  ...MENU_TOOL_RUNNERS,
  ...PRESENCE_TOOL_RUNNERS,
};

/** One tool call; `raw` is the model's JSON arguments text or, offline, the matched rule's arguments. */
export async function runAssistantTool(deps: AssistantDeps, tenantId: string, name: string, raw: string | Args, now: Date = new Date()): Promise<ToolOutcome> {
  let args: Args;
  if (typeof raw === 'string') {
    try {
      const parsed: unknown = raw.trim() ? JSON.parse(raw) : {};
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return failed('the tool arguments must be a JSON object');
      args = parsed as Args;
    } catch {
      return failed('the tool arguments are not valid JSON');
    }
  } else args = raw;
  const tool = Object.hasOwn(ASSISTANT_TOOL_RUNNERS, name) ? ASSISTANT_TOOL_RUNNERS[name] : undefined;
  if (!tool) return failed(`there is no assistant tool named "${name}"`);
  const outcome = await tool(deps, tenantId, args, now);
  return outcome.source ? { ...outcome, source: { documentId: `${TOOL_SOURCE_PREFIX}${name}`, ...outcome.source } } : { content: outcome.content, summary: outcome.summary };
}
