/** What the menu pages read from the API (core/api/menu.ts); the console infers its types from the schemas. */
import type { z } from 'zod';
import type { ForecastDto, MenuItemDto, MenuMatrixDto, PromotionDto, TrendsDto, menuImportResult, recommendationList, squareStatus, squareSyncResult } from '../../../../core/api/menu';
import type { MenuClass } from '../../../../core/menu/types';
export { formatCents } from '../../../../core/menu/money';
export { MENU_CLASS_LABELS, WEEKDAYS } from '../../../../core/menu/types';

export type { ForecastDto, MenuClass, MenuItemDto, MenuMatrixDto, PromotionDto, TrendsDto };
export type ImportResult = z.infer<typeof menuImportResult>;
export type Recommendations = z.infer<typeof recommendationList>;
export type SquareStatus = z.infer<typeof squareStatus>;
export type SquareSync = z.infer<typeof squareSyncResult>;

/** The quadrant colours of the scatter chart and the badges. */
export const CLASS_COLOURS: Record<MenuClass, string> = { star: '#0f7b4a', plowhorse: '#2457d6', puzzle: '#b45309', dog: '#b91c1c' };
export const CLASS_TONES: Record<MenuClass, 'success' | 'info' | 'warning' | 'danger'> = { star: 'success', plowhorse: 'info', puzzle: 'warning', dog: 'danger' };

export const percent = (x: number | null | undefined, digits = 1) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(digits)} %`);

/** `from`/`to` as a query string, leaving out what is empty (the API picks the last 28 days). */
export const periodQuery = (period: { from: string; to: string }) => new URLSearchParams(Object.entries(period).filter(([, v]) => v)).toString();
