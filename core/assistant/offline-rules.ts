/**
 * Offline answering (no model configured, or the month's tokens used up): the owner's question is
 * matched to one of the assistant's tools by the ordered rules below, first match wins; the tool
 * runs and its figures are the answer. A question no rule matches is not guessed at: the answer
 * says it needs a model and lists what can be asked instead. Pure, tested in
 * test/assistant/offline-rules.test.ts; README "Marketing assistant" lists the same rules.
 */
import type { PeriodName } from './period';
import type { DraftChannel } from './tools';

export interface OfflineRule {
  id: string;
  tool: string;
  /** What the rule answers, as the "I can answer" list shows it. */
  example: string;
  matches: (q: string) => boolean;
  args: (q: string, original: string) => Record<string, unknown>;
}

export interface OfflineMatch {
  rule: string;
  tool: string;
  args: Record<string, unknown>;
  /** The question asks for a judgement (why, what to do) the figures alone do not give. */
  needsModel: boolean;
}

const has = (re: RegExp) => (q: string) => re.test(q);
const both = (a: RegExp, b: RegExp) => (q: string) => a.test(q) && b.test(q);

/** The period a question names, if any ("last week", "yesterday", "past 30 days"…). */
export function periodIn(q: string): PeriodName | undefined {
  const table: [RegExp, PeriodName][] = [
    [/\byesterday\b/, 'yesterday'],
    [/\btoday\b/, 'today'],
    [/\b(last|previous|past) (30|thirty) days\b/, 'last_30_days'],
    [/\b(last|previous|past) (7|seven) days\b/, 'last_7_days'],
    [/\b(last|previous) week'?s?\b/, 'last_week'],
    [/\bthis week'?s?\b/, 'this_week'],
    [/\b(last|previous) month'?s?\b/, 'last_month'],
    [/\bthis month'?s?\b/, 'this_month'],
    [/\bpast month\b/, 'last_30_days'],
    [/\bpast week\b/, 'last_7_days'],
  ];
  return table.find(([re]) => re.test(q))?.[1];
}

const withPeriod = (q: string) => {
  const period = periodIn(q);
  return period ? { period } : {};
};

const CHANNEL_WORDS: [RegExp, DraftChannel][] = [
  [/\binstagram|\binsta\b|\big\b/, 'instagram'],
  [/\bfacebook|\bfb\b/, 'facebook'],
  [/\bgoogle\b/, 'google'],
  [/\bwhatsapp\b/, 'whatsapp'],
  [/\be-?mail|\bnewsletter\b/, 'email'],
  [/\bsms\b|\btext message\b/, 'sms'],
];

/** The draft's topic: what follows "for", "about", "announcing"… in the owner's own words. */
export function topicIn(original: string): string {
  const m = /\b(?:for|about|announcing|on|promoting|to promote|to announce)\s+(.+)$/i.exec(original.trim());
  const topic = (m?.[1] ?? original).replace(/[?.!\s]+$/, '').trim();
  return topic.slice(0, 300);
}

const WEEKDAY = /\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|tonight|tomorrow|this weekend)(?:'s)?\b/i;

const DRAFT_VERB = /\b(draft|write|compose|create|make|suggest)\b/;
const DRAFT_THING = /\b(post|caption|message|sms|e-?mail|newsletter|text|story|announcement|copy|tweet)\b/;
/** A name in quotes: "Spring sale". */
const QUOTED = /["“]([^"”]{2,100})["”]/;
const CAMPAIGN = /\b(campaigns?|promos?|promotions?|blasts?|newsletters?|offers?)\b/;
const RESULT = /\b(how (did|is|was|are|were|'s)|results?|perform|performance|did .* do|went|doing|reach|delivered|opened|read|replied|clicks?|failed)\b/;
const LIST = /\b(list|show|which|what|all|my|our)\b/;
const CHANNEL = /\b(per|by|each|every|which) channels?\b|\bchannels?\b/;
const FIGURES = /\b(conversations?|chats?|messages|resolution|resolved|handoffs?|hand-offs?|handed|csat|satisfaction|ratings?|figures|numbers|stats|statistics|analytics|kpis?|response times?|busy|traffic)\b/;
const MATRIX = /\b(quadrants?|plow ?horses?|puzzles?|matrix|menu engineering)\b|\b(stars?|dogs?) (items?|dish(es)?|on (my|the) menu)\b|\bmenu class\w*|\ban? (star|dog|plowhorse|puzzle)\b/;
const SELLERS = /\b(best|top|worst|bottom|least|most|lowest|highest)\b.*\b(sell\w*|sold|items?|dish(es)?|plates?|popular|revenue|margin|profitable)\b|\b(best|worst|top|bottom)[- ]sellers?\b/;
const SLOW_DAYS = both(/\b(slow\w*|quiet\w*|weak\w*|dead)\b/, /\b(days?|weekdays?|nights?)\b/);
const GRADE = /\b(grade|presence|audit|score|seo|website|listings?)\b/;
const JUDGEMENT = /^(why|should|how (can|do|could|should) i|what should|what can i do|recommend|suggest|explain)\b|\b(why|improve|advice|recommend)\b/;

/** First match wins: drafts, campaigns, menu, analytics, then the presence grade ("score" alone is a grade, "CSAT score" a figure). */
export const OFFLINE_RULES: readonly OfflineRule[] = [
  {
    id: 'draft',
    tool: 'draft_post',
    example: 'draft an Instagram post for Friday’s live music (offline: from your words only)',
    matches: both(DRAFT_VERB, DRAFT_THING),
    args: (q, original) => {
      const channel = CHANNEL_WORDS.find(([re]) => re.test(q))?.[1] ?? (/\bpost|caption|story\b/.test(q) ? 'instagram' : 'sms');
      const dates = WEEKDAY.exec(original)?.[1];
      return { channel, topic: topicIn(original), ...(dates ? { dates } : {}) };
    },
  },
  {
    id: 'campaign-results',
    tool: 'campaign_results',
    example: 'how did last week’s promo do? (a campaign by name, else the latest)',
    matches: (q) => (CAMPAIGN.test(q) || QUOTED.test(q)) && RESULT.test(q),
    args: (_q, original) => {
      const quoted = QUOTED.exec(original)?.[1];
      return quoted ? { name: quoted } : { mentionedIn: original };
    },
  },
  { id: 'campaign-list', tool: 'list_campaigns', example: 'list my campaigns', matches: both(LIST, /\bcampaigns\b/), args: () => ({}) },
  {
    id: 'menu-matrix',
    tool: 'menu_matrix',
    example: 'which quadrant is the burger in? / show my menu matrix',
    matches: has(MATRIX),
    args: (q, original) => ({ ...withPeriod(q), mentionedIn: original }),
  },
  {
    id: 'menu-sellers',
    tool: 'menu_top_items',
    example: 'what are my worst sellers this month? (by units, revenue or margin)',
    matches: has(SELLERS),
    args: (q) => ({
      ...withPeriod(q),
      order: /\b(worst|bottom|least|lowest)\b/.test(q) ? 'bottom' : 'top',
      by: /\b(margin|profit\w*)\b/.test(q) ? 'margin' : /\brevenue\b/.test(q) ? 'revenue' : 'quantity',
    }),
  },
  { id: 'menu-slow-days', tool: 'menu_slow_days', example: 'which are my slow days?', matches: SLOW_DAYS, args: (q) => withPeriod(q) },
  {
    id: 'analytics-by-channel',
    tool: 'analytics_by_channel',
    example: 'conversations per channel this month',
    matches: both(CHANNEL, FIGURES),
    args: (q) => withPeriod(q),
  },
  {
    id: 'analytics-overview',
    tool: 'analytics_overview',
    example: 'how many conversations, handoffs and what CSAT last week?',
    matches: has(FIGURES),
    args: (q) => withPeriod(q),
  },
  {
    id: 'presence-grade',
    tool: 'presence_grade',
    example: 'why did my grade drop? (the latest audit and the checks that changed)',
    matches: has(GRADE),
    args: () => ({}),
  },
];

/** Tools whose result is the whole answer even to a "why": a draft, and the checks that moved a grade. */
const ANSWERS_WHY: ReadonlySet<string> = new Set(['draft_post', 'presence_grade']);

const normalize = (question: string) => question.toLowerCase().replace(/[’‘]/g, "'").replace(/\s+/g, ' ').trim();

/** The rule a question matches and the tool call it makes, or null (the question needs a model). */
export function matchOfflineQuestion(question: string, rules: readonly OfflineRule[] = OFFLINE_RULES): OfflineMatch | null {
  const q = normalize(question);
  if (!q) return null;
  const rule = rules.find((r) => r.matches(q));
  if (!rule) return null;
  return { rule: rule.id, tool: rule.tool, args: rule.args(q, question.trim()), needsModel: !ANSWERS_WHY.has(rule.tool) && JUDGEMENT.test(q) };
}
