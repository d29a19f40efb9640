/** The intents payloads (core/api/intents.ts), as the console reads them. */
import type { z } from 'zod';
import type { classifyResult, intentEvaluation, intentImportResult, intentSchema, intentSummarySchema, labelCounts } from '../../../../core/api/intents';

export type IntentSummary = z.infer<typeof intentSummarySchema>;
export type IntentDto = z.infer<typeof intentSchema>;
export type ClassifyResult = z.infer<typeof classifyResult>;
export type IntentEvaluation = z.infer<typeof intentEvaluation>;
export type ImportResult = z.infer<typeof intentImportResult>;
export type LabelCounts = z.infer<typeof labelCounts>;

export const percent = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);
