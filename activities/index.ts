/**
 * The activity implementations, one capability per folder. Client errors from shared code
 * (AppError with a 4xx status: a missing conversation, a reused key…) and values the database
 * refuses (core/errors.ts isInvalidDataError) become non-retryable failures: retrying cannot fix them.
 */
import { ForeignKeyConstraintViolationException } from '@mikro-orm/core';
import { ApplicationFailure } from '@temporalio/common';
import { AppError, INVALID_DATA_ERROR_TYPE, isInvalidDataError } from '../core/errors';
import type { ActivityDeps } from './deps';
import { calendarActivities } from './calendars/sync';
import { generateActivities } from './campaigns/generate';
import { lifecycleActivities } from './campaigns/lifecycle';
import { materializeActivities } from './campaigns/materialize';
import { sendCampaignActivities } from './campaigns/send';
import { renderActivities } from './renders';
import { presenceActivities } from './presence';
import { presenceSurfaceActivities } from './presence-surface';
import { mediaActivities } from './channels/media';
import { imapActivities } from './channels/imap';
import { sendActivities } from './channels/send';
import { eventActivities } from './events';
import { httpActivities } from './http';
import { llmActivities } from './llm';
import { bulkActivities } from './knowledge/bulk';
import { ingestActivities } from './knowledge/ingest';
import { knowledgeActivities } from './knowledge/search';
import { schedulingActivities } from './scheduling';
import { bookingFlowActivities } from './scheduling/flow';
import { appointmentToolActivities } from './scheduling/llm-tools';
import { storeActivities } from './store';
import { csatActivities } from './csat';
import { alertActivities } from './reports/alerts';
import { reportActivities } from './reports/report';
import { retentionActivities } from './retention';
import { callActivities } from './voice/calls';
import { openingHoursActivities } from './opening-hours';
import { voiceNodeActivities } from './voice-nodes';
import { speechActivities } from './voice/speech';
import { assistantActivities } from './assistant';
import type { SwitchboardActivities } from './types';

export type { ActivityDeps } from './deps';

export function createActivities(deps: ActivityDeps): SwitchboardActivities {
  const speech = speechActivities(deps);
  const all: SwitchboardActivities = {
    ...storeActivities(deps),
    ...llmActivities(deps),
    ...httpActivities(deps),
    ...eventActivities(deps),
    ...ingestActivities(deps),
    ...bulkActivities(deps),
    ...knowledgeActivities(deps),
    ...sendActivities(deps),
    ...mediaActivities(deps),
    ...imapActivities(deps),
    ...calendarActivities(deps),
    ...schedulingActivities(deps),
    ...bookingFlowActivities(deps),
    ...appointmentToolActivities(deps),
    ...lifecycleActivities(deps),
    ...generateActivities(deps),
    ...materializeActivities(deps),
    ...sendCampaignActivities(deps),
    ...csatActivities(deps),
    ...reportActivities(deps),
    ...alertActivities(deps),
    ...retentionActivities(deps),
    ...renderActivities(deps),
    ...callActivities(deps, speech),
    ...openingHoursActivities(deps),
    ...voiceNodeActivities(deps),
    ...speech,
    ...presenceActivities(deps),
    ...presenceSurfaceActivities(deps),
    ...assistantActivities(deps),
  };
  return Object.fromEntries(Object.entries(all).map(([name, fn]) => [name, nonRetryableClientErrors(fn)])) as unknown as SwitchboardActivities;
}

function nonRetryableClientErrors<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await fn(...args);
    } catch (err) {
      // The field travels as the failure's details, so a caller (temporal/campaigns.ts) can name it.
      if (err instanceof AppError && err.status < 500) throw ApplicationFailure.create({ message: err.message, type: err.code, nonRetryable: true, ...(err.field ? { details: [err.field] } : {}) });
      if (err instanceof ForeignKeyConstraintViolationException) throw ApplicationFailure.nonRetryable('referenced row not found (does the conversation exist?)', 'not_found');
      // The type is in NON_RETRYABLE_ERROR_TYPES; the message is PostgreSQL's, which names the problem, not the value.
      if (isInvalidDataError(err)) throw ApplicationFailure.create({ type: INVALID_DATA_ERROR_TYPE, message: `the database refused a value (SQLSTATE ${(err as { code: string }).code}): ${(err as Error).message}` });
      throw err;
    }
  };
}
