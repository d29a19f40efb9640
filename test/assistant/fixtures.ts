/**
 * A tenant's figures for the assistant's tests, computed by hand (UTC tenants; dates relative to
 * today so the default periods hold them):
 * - analytics_hourly: yesterday webchat 6 conversations (4 closed, 3 without a human, 1 handoff,
 *   first responses 6 × 5 s, CSAT 2 ratings summing 9) and whatsapp 4 (4 closed, 1 without a human,
 *   2 handoffs); ten days ago webchat 5 (5 closed without a human). Last 7 days: 10 conversations,
 *   resolution 4/8 = 50 %, handoff 3/10 = 30 %, first response 5 s, CSAT 4.5 (2 ratings); the 7
 *   days before: 5 conversations, resolution 100 %, handoff 0 %.
 * - campaigns: test/analytics/dashboard-fixtures.ts's "Spring sale" (sent 4, delivered 2, read 1,
 *   replied 1, clicked 1, failed 1), "Autumn" and "Later".
 * - menu (one category, the last 28 days, so 4 of each weekday): Burger 15.00/5.00, 10 a day but 2 on
 *   Mondays (248); Salmon 24.00/12.00, 2 a day (56); Salad 11.00/3.00, 6 a day (168); Risotto
 *   18.00/12.00, 1 a day (28). 500 sold; threshold 0.7 × 1/4 = 17.5 %; average margin
 *   (248×10 + 56×12 + 168×8 + 28×6) / 500 = 9.328. Burger Star (49.6 %, 10.00), Salmon Puzzle
 *   (11.2 %, 12.00), Salad Plowhorse (33.6 %, 8.00), Risotto Dog (5.6 %, 6.00). Mondays sell
 *   11 a day, the other days 19.
 * `scale` multiplies the counts (another tenant with other figures), `names` renames the items.
 */
import { randomUUID } from 'node:crypto';
import { addDays } from '../../core/assistant/period';
import { systemEm, tenantEm, type Orm } from '../../db/orm';
import { replaceSales, upsertMenuItems } from '../../menu/store';
import type { AuditReport } from '../../core/presence/types';
import { presenceStore } from '../../presence/store';
import { writeCampaignDay } from '../analytics/dashboard-fixtures';

export const todayUtc = () => new Date().toISOString().slice(0, 10);

export async function seedAnalytics(orm: Orm, tenantId: string, scale = 1) {
  const exec = (sql: string, params: unknown[]) => systemEm(orm).getConnection().execute(sql, params, 'run');
  const flowId = randomUUID();
  const today = todayUtc();
  const row = async (day: string, hour: string, channel: string, f: Record<string, number>) => {
    const cols = Object.keys(f);
    await exec(
      `insert into analytics_hourly (tenant_id, hour, channel, flow_id${cols.map((c) => `, ${c}`).join('')}) values (?, ?, ?, ?${cols.map(() => ', ?').join('')})`,
      [tenantId, `${day}T${hour}:00:00Z`, channel, flowId, ...Object.values(f).map((v) => v * scale)],
    );
  };
  await row(addDays(today, -1), '10', 'webchat', { conversations: 6, closed: 4, closed_without_human: 3, handoffs: 1, first_response_ms_sum: 30_000, first_response_count: 6, csat_responses: 2, csat_score_sum: 9, csat_satisfied: 2 });
  await row(addDays(today, -1), '11', 'whatsapp', { conversations: 4, closed: 4, closed_without_human: 1, handoffs: 2 });
  await row(addDays(today, -10), '10', 'webchat', { conversations: 5, closed: 5, closed_without_human: 5 });
}

export const seedCampaigns = writeCampaignDay;

export const MENU_WINDOW = () => ({ from: addDays(todayUtc(), -27), to: todayUtc() });

export async function seedMenu(orm: Orm, tenantId: string, names = { burger: 'Burger', salmon: 'Salmon', salad: 'Salad', risotto: 'Risotto' }) {
  const em = tenantEm(orm, tenantId);
  const item = (key: keyof typeof names, price: number, cost: number) => ({ key: `name:Mains/${key}`, name: names[key], category: 'Mains', priceCents: price, foodCostCents: cost, currency: 'EUR', source: 'csv' as const, externalId: null });
  const { ids } = await upsertMenuItems(em, tenantId, [item('burger', 1500, 500), item('salmon', 2400, 1200), item('salad', 1100, 300), item('risotto', 1800, 1200)]);
  const { from } = MENU_WINDOW();
  const sales = [];
  for (let i = 0; i < 28; i++) {
    const day = addDays(from, i);
    const monday = new Date(`${day}T00:00:00Z`).getUTCDay() === 1;
    const sold: [keyof typeof names, number, number][] = [
      ['burger', monday ? 2 : 10, 1500],
      ['salmon', 2, 2400],
      ['salad', 6, 1100],
      ['risotto', 1, 1800],
    ];
    for (const [key, quantity, price] of sold) sales.push({ itemId: ids.get(`name:Mains/${key}`)!, day, quantity, revenueCents: quantity * price });
  }
  await replaceSales(em, tenantId, sales, 'csv');
  return ids;
}

type Check = AuditReport['checks'][number];
const check = (id: string, category: Check['category'], label: string, status: Check['status'], points: number, maxPoints: number, summary: string): Check => ({ id, category, label, status, points, maxPoints, evidence: [], inferred: false, summary });

/** A report as the grader stores it, with only what the assistant reads filled in. */
function report(url: string, overall: number, grade: AuditReport['grade'], checks: Check[], categories: [Check['category'], number][]): AuditReport {
  return {
    url,
    finalUrl: url,
    overall,
    grade,
    categories: categories.map(([category, score]) => ({ category, score, earned: score, max: 100, weight: 1, checks: 1 })),
    checks,
    recommendations: overall < 80 ? [{ checkId: 'jsonld.openingHours', category: 'structuredData', title: 'Add your opening hours to your JSON-LD', action: 'Add openingHoursSpecification.', impact: 'high', effort: 'low', gain: 6 }] : [],
    sources: ['website', 'jsonld'],
    facts: [],
    notes: [],
    wording: { by: 'plain', brandVoiceId: null, note: null },
    rubricVersion: 1,
    startedAt: new Date().toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: 1000,
  };
}

/**
 * Two audits of the same site: 82 (B), then 70 (C) because the opening hours went missing from the
 * JSON-LD (6 → 0 of 6) and the title became too long (4 → 2 of 4); HTTPS stayed 10 of 10.
 */
export async function seedAudits(orm: Orm, tenantId: string, url = 'https://bistro.example/') {
  const store = presenceStore(orm);
  const first = await store.insert({ tenantId, url, profiles: {}, brandVoiceId: null, createdBy: null });
  await store.complete(tenantId, first.id, report(url, 82, 'B', [
    check('https', 'website', 'HTTPS', 'pass', 10, 10, 'The site answers over HTTPS.'),
    check('jsonld.openingHours', 'structuredData', 'Opening hours in JSON-LD', 'pass', 6, 6, 'openingHoursSpecification is present.'),
    check('title', 'discoverability', 'Page title', 'pass', 4, 4, 'The title is 42 characters.'),
  ], [['website', 100], ['structuredData', 100], ['discoverability', 100]]));
  const second = await store.insert({ tenantId, url, profiles: {}, brandVoiceId: null, createdBy: null });
  await store.complete(tenantId, second.id, report(url, 70, 'C', [
    check('https', 'website', 'HTTPS', 'pass', 10, 10, 'The site answers over HTTPS.'),
    check('jsonld.openingHours', 'structuredData', 'Opening hours in JSON-LD', 'fail', 0, 6, 'No openingHoursSpecification in the JSON-LD.'),
    check('title', 'discoverability', 'Page title', 'warn', 2, 4, 'The title is 88 characters (over 60).'),
  ], [['website', 100], ['structuredData', 0], ['discoverability', 50]]));
  return { first: first.id, second: second.id };
}
