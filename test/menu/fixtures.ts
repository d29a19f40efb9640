import type { Stack } from '../support/stack';

/**
 * Four weeks of a small menu as a POS export: Steak (star), Pasta (plowhorse), Fish (puzzle),
 * Tofu (dog), and Tuesdays half as busy as the other days. Units per day are fixed per item and
 * weekday, so every figure of the matrix and the weekday table can be worked out by hand.
 */
export const MENU_ITEMS = [
  { name: 'Steak', category: 'Mains', price: '28.00', cost: '12.00', perDay: 6 },
  { name: 'Pasta', category: 'Mains', price: '14.00', cost: '4.00', perDay: 10 },
  { name: 'Fish', category: 'Mains', price: '24.00', cost: '9.00', perDay: 1 },
  { name: 'Tofu', category: 'Mains', price: '11.00', cost: '6.00', perDay: 1 },
] as const;

/** 2026-11-02 (a Monday) to 2026-11-29: 28 days. */
export const FIRST_DAY = '2026-11-02';
export const LAST_DAY = '2026-11-29';

export function menuCsv(): string {
  const lines = ['Date,Item Name,Category,Price,Unit Cost,Qty'];
  for (let d = 0; d < 28; d++) {
    const day = new Date(Date.parse(`${FIRST_DAY}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10);
    // Tuesday (d % 7 === 1) sells half: 3 steaks, 5 pastas, and the puzzle and dog sell their one each day.
    for (const item of MENU_ITEMS) {
      const qty = d % 7 === 1 && item.perDay > 1 ? item.perDay / 2 : item.perDay;
      lines.push(`${day},${item.name},${item.category},${item.price},${item.cost},${qty}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A tenant's menu (imported) and one proposed promotion, for the route sweep. */
export async function menuObjects(stack: Stack, tenant: { apiKey: string }) {
  const imported = await stack.request('POST', '/v1/menu/import', { apiKey: tenant.apiKey, body: { csv: menuCsv() } });
  if (imported.status !== 200) throw new Error(`POST /v1/menu/import → ${imported.status} ${JSON.stringify(imported.body)}`);
  const items = await stack.request('GET', '/v1/menu/items', { apiKey: tenant.apiKey });
  const generated = await stack.request('POST', '/v1/menu/promotions/generate', { apiKey: tenant.apiKey, body: { from: FIRST_DAY, to: LAST_DAY } });
  if (generated.status !== 200 || !generated.body.items.length) throw new Error(`POST /v1/menu/promotions/generate → ${generated.status} ${JSON.stringify(generated.body)}`);
  return { menuItem: items.body.items[0].id as string, promotion: generated.body.items[0].id as string };
}
