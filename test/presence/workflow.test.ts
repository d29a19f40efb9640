/**
 * The presenceAudit workflow on the dev server with fake activities: a phase's modules go to one
 * activity, a later phase gets the facts of earlier ones, a failed module (or a whole phase's
 * activity failing) is reported and the audit still scored, the progress query follows the
 * modules, and an audit that cannot be stored fails its row with the reason.
 */
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { PresenceModuleOutcome } from '../../activities/presence/types';
import type { AuditProgress } from '../../core/presence/types';
import type { PresenceAuditInput, PresenceAuditResult } from '../../workflows/messages';
import { startHarness, type Harness } from '../workflows/support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(inject('temporalAddress'), 'presence');
});
afterAll(async () => h?.close());
beforeEach(() => h.fakes.reset());

const input = (auditId: string): PresenceAuditInput => ({ tenantId: 't1', auditId, url: 'https://bistro.example/', profiles: { google: 'ChIJ123' }, brandVoiceId: null });
const start = (auditId: string) => h.client.workflow.start('presenceAudit', { workflowId: `presence:t1:${auditId}`, taskQueue: h.taskQueue, args: [input(auditId)] });

describe('presenceAudit', () => {
  it('runs each phase’s modules in one activity, gives phase 2 the facts of phase 1, and scores every outcome in plan order', async () => {
    let outcomes: PresenceModuleOutcome[] = [];
    h.fakes.impl.finishPresenceAudit = async (i) => {
      outcomes = i.outcomes;
      return { overall: 88, grade: 'B' };
    };
    const handle = await start('a1');
    const result: PresenceAuditResult = await handle.result();
    expect(result).toEqual({ status: 'completed', overall: 88, grade: 'B', error: null });
    const phases = h.fakes.of('presence:t1:a1', 'runPresenceModules');
    expect(phases.map((c) => [c.activityId.split('#')[0], c.input.modules])).toEqual([
      ['@phase1', ['transport', 'page']],
      ['@phase2', ['consistency']],
    ]);
    expect(phases[0]!.input.facts).toEqual([]);
    expect(phases[1]!.input.facts).toEqual([{ source: 'website', name: 'Fake Bistro' }]);
    expect(phases[1]!.input.profiles).toEqual({ google: 'ChIJ123' });
    expect(outcomes.map((o) => [o.id, o.status])).toEqual([
      ['transport', 'done'],
      ['page', 'done'],
      ['consistency', 'done'],
    ]);
    const progress = await handle.query<AuditProgress>('progress');
    expect(progress).toMatchObject({ stage: 'completed', done: 3, total: 3 });
    expect(progress.modules.map((m) => [m.id, m.status, m.checks])).toEqual([
      ['transport', 'done', 1],
      ['page', 'done', 1],
      ['consistency', 'done', 1],
    ]);
  });

  it('reports a failed module, and every module of a phase whose activity failed, and still scores the audit', async () => {
    const base = h.fakes.impl.runPresenceModules;
    h.fakes.impl.runPresenceModules = async (i) => {
      if (i.modules.includes('consistency')) throw ApplicationFailure.nonRetryable('the listing provider answered garbage', 'bad_answer');
      return (await base(i)).map((o) => (o.id === 'page' ? { id: 'page', status: 'failed' as const, output: null, error: 'the page checks did not finish within 25 s' } : o));
    };
    let outcomes: PresenceModuleOutcome[] = [];
    h.fakes.impl.finishPresenceAudit = async (i) => {
      outcomes = i.outcomes;
      return { overall: 40, grade: 'F' };
    };
    const handle = await start('a2');
    expect((await handle.result()).status).toBe('completed');
    expect(outcomes.map((o) => [o.id, o.status, o.error])).toEqual([
      ['transport', 'done', null],
      ['page', 'failed', 'the page checks did not finish within 25 s'],
      ['consistency', 'failed', 'the listing provider answered garbage'],
    ]);
    const progress = await handle.query<AuditProgress>('progress');
    expect(progress.modules.find((m) => m.id === 'page')).toMatchObject({ status: 'failed', error: 'the page checks did not finish within 25 s' });
    expect(h.fakes.of('presence:t1:a2', 'failPresenceAudit')).toHaveLength(0);
  });

  it('fails the audit, with the reason on its row, when it cannot be scored', async () => {
    h.fakes.impl.finishPresenceAudit = async () => {
      throw ApplicationFailure.nonRetryable('the report could not be stored', 'invalid_data');
    };
    const handle = await start('a3');
    expect(await handle.result()).toEqual({ status: 'failed', overall: null, grade: null, error: 'the report could not be stored' });
    expect(h.fakes.of('presence:t1:a3', 'failPresenceAudit').map((c) => c.input.reason)).toEqual(['the report could not be stored']);
    expect((await handle.query<AuditProgress>('progress')).stage).toBe('failed');
  });
});
