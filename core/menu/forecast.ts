/**
 * Demand per item and day, explained in two figures anyone can check: a seasonal index per
 * weekday and a straight-line trend.
 *
 *   ratio(t)  = units(t) / the average of the 7 days centred on t   (the trend taken out)
 *   index(w)  = mean ratio of weekday w, scaled so the seven average 1
 *   d(t)      = units(t) / index(weekday(t))            the day with its weekday taken out
 *   level, slope: least squares of d(t) = level + slope × t   (t = days since the first day)
 *   forecast(t) = max(0, level + slope × t) × index(weekday(t))
 *
 * Backtest: the last `holdoutWeeks` whole weeks are held out, the model is fitted on the days
 * before them, and MAPE = mean |actual − forecast| / actual over the held-out days that sold
 * something (a day that sold nothing has no percentage error; they are counted apart).
 */
import { WEEKDAYS } from './types';

const DAY_MS = 86_400_000;
export const toDayIndex = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
export const fromDayIndex = (i: number) => new Date(i * DAY_MS).toISOString().slice(0, 10);
/** 0 = Monday … 6 = Sunday. */
export const weekdayOf = (day: string) => (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;

export interface DemandModel {
  /** Seven factors, Monday first, averaging 1. */
  seasonalIndex: number[];
  /** Deseasonalized units per day at the first training day. */
  level: number;
  /** Change of the deseasonalized units per day, per day. */
  slopePerDay: number;
  /** The first training day (t = 0). */
  origin: string;
  trainedDays: number;
}

/** A series of consecutive days (gaps already filled with zeros). */
export interface DaySeries {
  from: string;
  values: number[];
}

/** Fills a sparse list of (day, units) into consecutive days over [from, to], missing days = 0. */
export function denseSeries(points: readonly { day: string; quantity: number }[], from: string, to: string): DaySeries {
  const start = toDayIndex(from);
  const values = new Array<number>(Math.max(0, toDayIndex(to) - start + 1)).fill(0);
  for (const p of points) {
    const i = toDayIndex(p.day) - start;
    if (i >= 0 && i < values.length) values[i]! += p.quantity;
  }
  return { from, values };
}

export function fitDemand(series: DaySeries): DemandModel {
  const { values } = series;
  const startWeekday = weekdayOf(series.from);
  // Each day against the week centred on it: a rising or falling trend does not leak into the weekday index.
  const ratios: number[][] = [[], [], [], [], [], [], []];
  let window = values.slice(0, 7).reduce((a, b) => a + b, 0);
  for (let t = 3; t + 3 < values.length; t++) {
    if (t > 3) window += values[t + 3]! - values[t - 4]!;
    if (window > 0) ratios[(startWeekday + t) % 7]!.push(values[t]! / (window / 7));
  }
  const raw = ratios.map((r) => (r.length ? r.reduce((a, b) => a + b, 0) / r.length : 1));
  const total = raw.reduce((a, b) => a + b, 0);
  // With no sales at all every weekday is ordinary (index 1) and the level is 0.
  const seasonalIndex = ratios.some((r) => r.length) && total > 0 ? raw.map((x) => (x * 7) / total) : [1, 1, 1, 1, 1, 1, 1];
  // Least squares over the deseasonalized days; a weekday that never sells (index 0, closed) tells nothing about the trend.
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  values.forEach((v, t) => {
    const s = seasonalIndex[(startWeekday + t) % 7]!;
    if (s <= 0) return;
    const d = v / s;
    n++;
    sx += t;
    sy += d;
    sxx += t * t;
    sxy += t * d;
  });
  const denominator = n * sxx - sx * sx;
  const slopePerDay = n > 1 && denominator !== 0 ? (n * sxy - sx * sy) / denominator : 0;
  const level = n ? (sy - slopePerDay * sx) / n : 0;
  return { seasonalIndex, level, slopePerDay, origin: series.from, trainedDays: values.length };
}

export function predict(model: DemandModel, day: string): number {
  const t = toDayIndex(day) - toDayIndex(model.origin);
  return Math.max(0, model.level + model.slopePerDay * t) * model.seasonalIndex[weekdayOf(day)]!;
}

export interface Backtest {
  trainFrom: string;
  trainTo: string;
  testFrom: string;
  testTo: string;
  /** Mean absolute percentage error over the held-out days that sold something; null when none did. */
  mape: number | null;
  /** Held-out days with sales (the MAPE's days) and without. */
  scoredDays: number;
  zeroDays: number;
  /** Held-out day by day. */
  days: { day: string; actual: number; forecast: number }[];
}

export function mape(pairs: readonly { actual: number; forecast: number }[]): number | null {
  const scored = pairs.filter((p) => p.actual > 0);
  if (!scored.length) return null;
  return scored.reduce((s, p) => s + Math.abs(p.actual - p.forecast) / p.actual, 0) / scored.length;
}

/** Fits on the series without its last `holdoutWeeks` weeks and scores the forecast of those; null with fewer than two training weeks. */
export function backtest(series: DaySeries, holdoutWeeks: number): Backtest | null {
  const holdout = holdoutWeeks * 7;
  const trainLength = series.values.length - holdout;
  if (holdoutWeeks < 1 || trainLength < 14) return null;
  const model = fitDemand({ from: series.from, values: series.values.slice(0, trainLength) });
  const start = toDayIndex(series.from);
  const days = series.values.slice(trainLength).map((actual, i) => {
    const day = fromDayIndex(start + trainLength + i);
    return { day, actual, forecast: predict(model, day) };
  });
  return {
    trainFrom: series.from,
    trainTo: fromDayIndex(start + trainLength - 1),
    testFrom: days[0]!.day,
    testTo: days.at(-1)!.day,
    mape: mape(days),
    scoredDays: days.filter((d) => d.actual > 0).length,
    zeroDays: days.filter((d) => d.actual <= 0).length,
    days,
  };
}

/** The next `days` days after the series, from a model fitted on all of it. */
export function forecastAfter(series: DaySeries, days: number): { model: DemandModel; days: { day: string; weekday: string; quantity: number }[] } {
  const model = fitDemand(series);
  const next = toDayIndex(series.from) + series.values.length;
  return {
    model,
    days: Array.from({ length: days }, (_, i) => {
      const day = fromDayIndex(next + i);
      return { day, weekday: WEEKDAYS[weekdayOf(day)]!, quantity: predict(model, day) };
    }),
  };
}

/** The model in words, with its figures. */
export function explainModel(model: DemandModel): string[] {
  const round = (x: number, d = 2) => Number(x.toFixed(d));
  const busiest = model.seasonalIndex.indexOf(Math.max(...model.seasonalIndex));
  const quietest = model.seasonalIndex.indexOf(Math.min(...model.seasonalIndex));
  return [
    `Weekday index (1 = an average day): ${model.seasonalIndex.map((s, w) => `${WEEKDAYS[w]!.slice(0, 3)} ${round(s)}`).join(', ')}.`,
    `Busiest ${WEEKDAYS[busiest]} (×${round(model.seasonalIndex[busiest]!)}), quietest ${WEEKDAYS[quietest]} (×${round(model.seasonalIndex[quietest]!)}).`,
    `Trend: ${round(model.level)} units a day on ${model.origin} (weekday taken out), ${model.slopePerDay >= 0 ? '+' : ''}${round(model.slopePerDay, 3)} a day since (${model.slopePerDay >= 0 ? '+' : ''}${round(model.slopePerDay * 7, 2)} a week).`,
    `Forecast of a day = trend on that day × its weekday index, over ${model.trainedDays} days of history.`,
  ];
}

export interface SeriesForecast {
  itemId: string | null;
  name: string;
  model: DemandModel;
  explanation: string[];
  backtest: Backtest | null;
  next: { day: string; weekday: string; quantity: number }[];
}

/** One series' model, backtest and next days, as the API answers them. */
export function seriesForecast(itemId: string | null, name: string, series: DaySeries, holdoutWeeks: number, days: number): SeriesForecast {
  const { model, days: next } = forecastAfter(series, days);
  return { itemId, name, model, explanation: explainModel(model), backtest: backtest(series, holdoutWeeks), next };
}
