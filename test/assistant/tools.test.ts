/**
 * The assistant's tools on real PostgreSQL against hand-computed figures (test/assistant/fixtures.ts),
 * the offline answers built from them, and tenant isolation: every tool run for tenant A, with any
 * arguments (B's campaign id, B's item names), answers from A's rows only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerOffline, NEEDS_MODEL, NO_MODEL_LEAD } from '../../assistant/offline';
import { runAssistantTool, type AssistantDeps } from '../../assistant/tools';
import { systemEm } from '../../db/orm';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { MENU_WINDOW, seedAnalytics, seedAudits, seedCampaigns, seedMenu } from './fixtures';

let stack: Stack;
let deps: AssistantDeps;
let a: string;
let b: string;
let bCampaign: string;

beforeAll(async () => {
  stack = await startStack({ ...sharedServers(), worker: false });
  deps = { orm: stack.orm, config: stack.config };
  a = (await stack.createTenant()).tenantId;
  b = (await stack.createTenant()).tenantId;
  await seedAnalytics(stack.orm, a);
  await seedCampaigns(stack.orm, a);
  await seedMenu(stack.orm, a);
  await seedAudits(stack.orm, a);
  // B: nine times the figures, its own campaign, item names and site.
  await seedAnalytics(stack.orm, b, 9);
  bCampaign = (await seedCampaigns(stack.orm, b)).spring;
  await systemEm(stack.orm).getConnection().execute(`update campaigns set name = 'Bravo ' || name where tenant_id = ?`, [b], 'run');
  await seedMenu(stack.orm, b, { burger: 'Bravo burger', salmon: 'Bravo salmon', salad: 'Bravo salad', risotto: 'Bravo risotto' });
  await seedAudits(stack.orm, b, 'https://bravo.example/');
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

const run = (name: string, args: Record<string, unknown> = {}, tenant = a) => runAssistantTool(deps, tenant, name, JSON.stringify(args));
const json = (content: string) => JSON.parse(content);

describe('analytics', () => {
  it('answers the last 7 days against the 7 before, as computed by hand, citing the figures', async () => {
    const out = await run('analytics_overview');
    const body = json(out.content);
    expect(body.figures).toMatchObject({ conversations: 10, closed: 8, closedWithoutHuman: 4, handoffs: 3, resolutionRate: 0.5, handoffRate: 0.3, avgFirstResponseSeconds: 5, csatResponses: 2, csatAverage: 4.5 });
    expect(body.previousFigures).toMatchObject({ conversations: 5, resolutionRate: 1, handoffRate: 0 });
    expect(out.source).toEqual({
      documentId: 'tool:analytics_overview',
      document: expect.stringMatching(/^Analytics · last 7 days \(\d{4}-\d{2}-\d{2} – \d{4}-\d{2}-\d{2}\)$/),
      section: 'conversations 10 · resolution 50 % · handoff 30 % · first response 5 s · CSAT 4.5 of 5 (2 ratings) | before: conversations 5, resolution 100 %, handoff 0 %',
    });
    expect(out.summary).toContain('10 conversations (+5 (+100 %)');
  });

  it('answers one channel, and each channel', async () => {
    expect(json((await run('analytics_overview', { channel: 'whatsapp' })).content).figures).toMatchObject({ conversations: 4, handoffs: 2, resolutionRate: 0.25 });
    const rows = json((await run('analytics_by_channel', { period: 'last_7_days' })).content).channels;
    expect(rows.map((r: { label: string; conversations: number }) => [r.label, r.conversations])).toEqual([
      ['webchat', 6],
      ['whatsapp', 4],
    ]);
  });

  it('refuses a period or channel it cannot read, in words the model can act on', async () => {
    expect((await run('analytics_overview', { period: 'fortnight' })).content).toMatch(/^error: period must be one of today, yesterday/);
    expect((await run('analytics_overview', { from: '2026-02-30' })).content).toBe('error: from and to must be dates written YYYY-MM-DD');
    expect((await run('analytics_overview', { from: '2026-03-10', to: '2026-03-01' })).content).toBe('error: to is before from');
    expect((await run('analytics_overview', { channel: 'fax' })).content).toMatch(/^error: channel must be one of/);
    expect((await runAssistantTool(deps, a, 'analytics_overview', '{not json')).content).toBe('error: the tool arguments are not valid JSON');
    expect((await run('drop_tables')).content).toBe('error: there is no assistant tool named "drop_tables"');
  });
});

describe('campaigns', () => {
  it('lists campaigns with their funnel, and one campaign’s results by name or as the latest', async () => {
    const list = json((await run('list_campaigns')).content).campaigns;
    expect(list.map((c: { name: string }) => c.name)).toEqual(['Spring sale', 'Autumn', 'Later']);
    expect(list[0].counts).toEqual({ targeted: 4, sent: 4, delivered: 2, read: 1, replied: 1, clicked: 1, failed: 1, optedOut: 1 });
    const byName = await run('campaign_results', { name: 'spring' });
    expect(json(byName.content).totals).toMatchObject({ sent: 4, delivered: 2, read: 1, replied: 1, clicked: 1, failed: 1 });
    expect(byName.source).toEqual({ documentId: 'tool:campaign_results', document: 'Campaign results · Spring sale', section: 'sent 4 of 4 · delivered 2 (50 %) · read 1 (25 %) · replied 1 (25 %) · clicked 1 · failed 1' });
    expect(byName.summary).toContain('Main failure reasons: no reason given (1).');
    expect(json((await run('campaign_results')).content).campaign.name).toBe('Spring sale');
    expect(json((await run('campaign_results', { mentionedIn: 'How did the autumn campaign do?' })).content).campaign.name).toBe('Autumn');
  });
});

describe('menu', () => {
  it('places an item in its quadrant with the arithmetic, and the whole matrix', async () => {
    const burger = await run('menu_matrix', { item: 'burger', ...MENU_WINDOW() });
    expect(json(burger.content).item).toMatchObject({ name: 'Burger', class: 'star', sold: 248, unitCmCents: 1000, mixShare: 0.496 });
    expect(burger.source!.section).toBe('Star · sold 248 · mix 50 % (threshold 18 %) · unit margin 10.00 EUR (average 9.33 EUR)');
    const whole = await run('menu_matrix', MENU_WINDOW());
    expect(whole.summary).toContain('- Stars (1): Burger\n- Plowhorses (1): Salad\n- Puzzles (1): Salmon\n- Dogs (1): Risotto');
    const compact = json(whole.content);
    expect(compact.items.map((i: { name: string; class: string }) => `${i.name} ${i.class}`)).toEqual(['Burger star', 'Salad plowhorse', 'Salmon puzzle', 'Risotto dog']);
    expect(compact.categories).toEqual([expect.objectContaining({ category: 'Mains', itemCount: 4, totalSold: 500, popularityThreshold: 0.175 })]);
    expect(compact.itemsLeftOut).toBe(0);
    expect((await run('menu_matrix', { item: 'lobster' })).content).toMatch(/^error: "lobster" is not in the matrix .*no menu item has that name/);
  });

  it('ranks best and worst sellers and finds the slow weekdays', async () => {
    const worst = json((await run('menu_top_items', { order: 'bottom', ...MENU_WINDOW() })).content).items;
    expect(worst.map((i: { name: string; sold: number }) => [i.name, i.sold])).toEqual([
      ['Risotto', 28],
      ['Salmon', 56],
      ['Salad', 168],
      ['Burger', 248],
    ]);
    const byMargin = json((await run('menu_top_items', { by: 'margin', limit: 1, ...MENU_WINDOW() })).content).items;
    expect(byMargin).toEqual([expect.objectContaining({ name: 'Burger', marginCents: 248_000 })]);
    const days = await run('menu_slow_days', MENU_WINDOW());
    expect(json(days.content).weekdays[0]).toMatchObject({ name: 'Monday', averageSold: 11, days: 4 });
    expect(days.source!.section).toMatch(/^Mon 11\.0 · \w{3} 19\.0/);
  });
});

describe('presence grade', () => {
  it('answers the latest grade and which checks moved it since the audit before', async () => {
    const out = await run('presence_grade');
    const body = json(out.content);
    expect(body.latest).toMatchObject({ url: 'https://bistro.example/', overall: 70, grade: 'C' });
    expect(body.previous).toMatchObject({ overall: 82, grade: 'B' });
    expect(body.changes.overall).toEqual({ before: 82, after: 70, change: -12 });
    expect(body.changes.checks.map((c: { id: string; pointsChange: number }) => [c.id, c.pointsChange])).toEqual([
      ['jsonld.openingHours', -6],
      ['title', -2],
    ]);
    expect(out.source!.section).toBe('82 → 70 (grade B → C) · Opening hours in JSON-LD -6 · Page title -2');
    expect(out.summary).toContain('- Opening hours in JSON-LD (structuredData): pass 6/6 → fail 0/6 (-6 points) — No openingHoursSpecification in the JSON-LD.');
    expect(out.summary).toContain('Categories: structuredData 100 → 0, discoverability 100 → 50.');
  });
});

describe('drafts', () => {
  it('writes a post with the offline template writer when no model is configured, from the owner’s words only', async () => {
    const out = await run('draft_post', { channel: 'instagram', topic: 'live music on Friday night', dates: 'Friday 8 pm' });
    const body = json(out.content);
    expect(body).toMatchObject({ channel: 'instagram', generatedBy: 'template-writer' });
    expect(body.text).toContain('Live music on Friday night. When: Friday 8 pm.');
    expect(out.summary).toMatch(/^An instagram draft, written by the offline template writer/);
    expect((await run('draft_post', { channel: 'tiktok', topic: 'x' })).content).toMatch(/^error: channel must be one of/);
    expect((await run('draft_post', { channel: 'sms' })).content).toMatch(/^error: topic:/);
  });
});

describe('offline answers', () => {
  it('answers figures and lists from the matched tool, and says what needs a model', async () => {
    const figures = await answerOffline(deps, a, 'How many conversations did we have?');
    expect(figures.text).toMatch(/^Last 7 days .*: 10 conversations/);
    expect(figures.sources.map((s) => s.documentId)).toEqual(['tool:analytics_overview']);
    const why = await answerOffline(deps, a, 'Why did my handoff rate go up last week?');
    expect(why.text.endsWith(NEEDS_MODEL)).toBe(true);
    const promo = await answerOffline(deps, a, 'How did the spring sale promo do?');
    expect(promo.text).toMatch(/^"Spring sale" \(completed/);
    const quadrant = await answerOffline(deps, a, 'Which quadrant is the salmon in?');
    expect(quadrant.text).toMatch(/Salmon \(Mains\) is a Puzzle/);
    const grade = await answerOffline(deps, a, 'Why did my grade drop?');
    expect(grade.text).toMatch(/^Your latest presence audit of https:\/\/bistro\.example\/ .*70\/100, grade C\.\nSince the audit/);
    expect(grade.text).not.toContain(NEEDS_MODEL);
    const slow = await answerOffline(deps, a, 'Which are my slow days?');
    expect(slow.text).toMatch(/slowest first .*\n- Monday/);
    const free = await answerOffline(deps, a, 'Write me a poem about my business plan');
    expect(free.text).toMatch(new RegExp(`^${NO_MODEL_LEAD} That question needs a model. Without one, I can answer:\\n- draft`));
    expect(free.sources).toEqual([]);
  });
});

describe('tenant isolation', () => {
  it('never answers tenant A with tenant B’s figures, whatever the arguments', async () => {
    const calls: [string, Record<string, unknown>][] = [
      ['analytics_overview', {}],
      ['analytics_overview', { period: 'last_30_days' }],
      ['analytics_by_channel', { period: 'last_30_days' }],
      ['list_campaigns', { limit: 25 }],
      ['campaign_results', {}],
      ['campaign_results', { campaignId: bCampaign }],
      ['campaign_results', { name: 'Bravo' }],
      ['menu_matrix', MENU_WINDOW()],
      ['menu_matrix', { item: 'Bravo burger' }],
      ['menu_top_items', { limit: 20, ...MENU_WINDOW() }],
      ['menu_slow_days', MENU_WINDOW()],
      ['presence_grade', {}],
    ];
    for (const [name, args] of calls) {
      const out = await run(name, args);
      // What the tool echoes of its own arguments ("no campaign is named like …") is not B's data.
      const echoed = Object.values(args).filter((v): v is string => typeof v === 'string');
      const all = echoed.reduce((text, v) => text.replaceAll(v, '…'), `${out.content}\n${out.summary}\n${JSON.stringify(out.source ?? {})}`);
      expect(all, name).not.toMatch(/bravo|"conversations":(90|45|54|36)\b|\b(90|54|36) conversations/i);
      expect(all, name).not.toContain(bCampaign);
    }
    expect((await run('campaign_results', { campaignId: bCampaign })).content).toBe('error: campaign not found');
    // B's own tools see B's.
    expect(json((await run('analytics_overview', {}, b)).content).figures.conversations).toBe(90);
    expect(json((await run('presence_grade', {}, b)).content).latest.url).toBe('https://bravo.example/');
  });
});
