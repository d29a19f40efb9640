/**
 * The offline rule set (core/assistant/offline-rules.ts) and the periods (core/assistant/period.ts):
 * which tool each question goes to, with which arguments, and which questions are left to a model.
 */
import { describe, expect, it } from 'vitest';
import { matchOfflineQuestion, OFFLINE_RULES, periodIn, topicIn } from '../../core/assistant/offline-rules';
import { previousPeriod, resolvePeriod } from '../../core/assistant/period';
import { ASSISTANT_TOOL_NAMES } from '../../core/assistant/tools';

describe('offline rules', () => {
  it.each([
    ['Draft an Instagram post for Friday’s live music', 'draft', 'draft_post', { channel: 'instagram', topic: 'Friday’s live music', dates: 'Friday' }],
    ['write an email about our new brunch menu', 'draft', 'draft_post', { channel: 'email', topic: 'our new brunch menu' }],
    ['Can you write a text message announcing happy hour?', 'draft', 'draft_post', { channel: 'sms', topic: 'happy hour' }],
    ['How did last week’s promo do?', 'campaign-results', 'campaign_results', { mentionedIn: 'How did last week’s promo do?' }],
    ['What were the results of "Spring sale"?', 'campaign-results', 'campaign_results', { name: 'Spring sale' }],
    ['List my campaigns', 'campaign-list', 'list_campaigns', {}],
    ['Which quadrant is the burger in?', 'menu-matrix', 'menu_matrix', { mentionedIn: 'Which quadrant is the burger in?' }],
    ['Is the salmon a puzzle this month?', 'menu-matrix', 'menu_matrix', { period: 'this_month', mentionedIn: 'Is the salmon a puzzle this month?' }],
    ['What are my worst sellers last month?', 'menu-sellers', 'menu_top_items', { period: 'last_month', order: 'bottom', by: 'quantity' }],
    ['top dishes by margin', 'menu-sellers', 'menu_top_items', { order: 'top', by: 'margin' }],
    ['Which days are slow?', 'menu-slow-days', 'menu_slow_days', {}],
    ['conversations per channel this month', 'analytics-by-channel', 'analytics_by_channel', { period: 'this_month' }],
    ['How many conversations did we get yesterday?', 'analytics-overview', 'analytics_overview', { period: 'yesterday' }],
    ['What was our CSAT in the past 30 days?', 'analytics-overview', 'analytics_overview', { period: 'last_30_days' }],
    ['handoff rate last week', 'analytics-overview', 'analytics_overview', { period: 'last_week' }],
    ['What is my CSAT score?', 'analytics-overview', 'analytics_overview', {}],
    ['What is my website score?', 'presence-grade', 'presence_grade', {}],
  ])('%s → %s', (question, rule, tool, args) => {
    expect(matchOfflineQuestion(question)).toEqual({ rule, tool, args, needsModel: false });
  });

  it('marks a judgement question as needing a model, and answers its figures', () => {
    expect(matchOfflineQuestion('Why did my resolution rate drop last week?')).toMatchObject({ tool: 'analytics_overview', args: { period: 'last_week' }, needsModel: true });
    expect(matchOfflineQuestion('What should I do about my worst sellers?')).toMatchObject({ tool: 'menu_top_items', needsModel: true });
    // The checks that moved a grade are the answer to why it moved.
    expect(matchOfflineQuestion('Why did my grade drop?')).toEqual({ rule: 'presence-grade', tool: 'presence_grade', args: {}, needsModel: false });
    // A draft is the answer itself, whatever the verb.
    expect(matchOfflineQuestion('Suggest a Facebook post about our terrace')).toMatchObject({ tool: 'draft_post', needsModel: false, args: { channel: 'facebook' } });
  });

  it('matches nothing it cannot answer from a tool', () => {
    for (const q of ['', '   ', 'Hello!', 'Tell me a joke', 'What is the capital of France?', 'How many stars did the reviews give us?']) expect(matchOfflineQuestion(q), q).toBeNull();
  });

  it('names only real tools, each rule once', () => {
    for (const r of OFFLINE_RULES) expect(ASSISTANT_TOOL_NAMES.has(r.tool), r.tool).toBe(true);
    expect(new Set(OFFLINE_RULES.map((r) => r.id)).size).toBe(OFFLINE_RULES.length);
  });

  it('reads periods and topics in the owner’s words', () => {
    expect(periodIn('how was last week')).toBe('last_week');
    expect(periodIn("this month's figures")).toBe('this_month');
    expect(periodIn('in the past week')).toBe('last_7_days');
    expect(periodIn('lately')).toBeUndefined();
    expect(topicIn('Draft a post for our anniversary party!')).toBe('our anniversary party');
    expect(topicIn('instagram caption')).toBe('instagram caption');
  });
});

describe('periods', () => {
  // 2026-12-05 is a Saturday.
  const today = '2026-12-05';
  it.each([
    ['today', '2026-12-05', '2026-12-05'],
    ['yesterday', '2026-12-04', '2026-12-04'],
    ['this_week', '2026-11-30', '2026-12-05'],
    ['last_week', '2026-11-23', '2026-11-29'],
    ['last_7_days', '2026-11-29', '2026-12-05'],
    ['last_30_days', '2026-11-06', '2026-12-05'],
    ['this_month', '2026-12-01', '2026-12-05'],
    ['last_month', '2026-11-01', '2026-11-30'],
  ])('%s is %s – %s', (period, from, to) => {
    expect(resolvePeriod({ period }, today)).toMatchObject({ from, to });
  });

  it('takes explicit dates, refuses bad ones, and compares with the period before', () => {
    expect(resolvePeriod({ from: '2026-02-01' }, today)).toEqual({ from: '2026-02-01', to: today, label: `2026-02-01 – ${today}` });
    expect(resolvePeriod({ from: '2025-01-01', to: '2026-12-05' }, today)).toEqual({ error: 'a period may span 366 days at most' });
    expect(resolvePeriod({ to: 'tomorrow' }, today)).toEqual({ error: 'from and to must be dates written YYYY-MM-DD' });
    expect(previousPeriod({ from: '2026-11-23', to: '2026-11-29' })).toMatchObject({ from: '2026-11-16', to: '2026-11-22' });
    expect(previousPeriod({ from: '2026-03-01', to: '2026-03-01' })).toMatchObject({ from: '2026-02-28', to: '2026-02-28' });
  });
});
