/**
 * The presenceAudit workflow on the dev server with fake activities: modules of a phase run in
 * parallel, a later phase sees the facts of earlier ones, a module that fails is reported (not
 * fatal), the progress query follows the modules, and a failed plan fails the audit's row.
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
  it('runs phase 1 in parallel, gives phase 2 their facts, and scores every outcome in plan order', async () => {
    let running = 0;
    let peak = 0;
    let releasePhase1!: () => void;
    const phase1 = new Promise<void>((r) => (releasePhase1 = r));
    const base = h.fakes.impl.runPresenceModule;
    h.fakes.impl.runPresenceModule = async (i) => {
      running++;
      peak = Math.max(peak, running);
      if (running === 2) releasePhase1();
      if (i.module !== 'consistency') await phase1;
      running--;
      return base(i);
    };
    let outcomes: PresenceModuleOutcome[] = [];
    h.fakes.impl.finishPresenceAudit = async (i) => {
      outcomes = i.outcomes;
      return { overall: 88, grade: 'B' };
    };
    const handle = await start('a1');
    const result: PresenceAuditResult = await handle.result();
    expect(result).toEqual({ status: 'completed', overall: 88, grade: 'B', error: null });
    expect(peak).toBe(2);
    const consistency = h.fakes.of('presence:t1:a1', 'runPresenceModule').find((c) => c.input.module === 'consistency')!;
    expect(consistency.input.facts).toEqual([{ source: 'website', name: 'Fake Bistro' }]);
    expect(consistency.input.profiles).toEqual({ google: 'ChIJ123' });
    expect(outcomes.map((o) => [o.id, o.status])).toEqual([
      ['transport', 'done'],
      ['page', 'done'],
      ['consistency', 'done'],
    ]);
    const progress = await handle.query<AuditProgress>('progress');
    expect(progress).toMatchObject({ stage: 'completed', done: 3, total: 3 });
    expect(progress.modules.map((m) => m.status)).toEqual(['done', 'done', 'done']);
  });

  it('reports a module that fails as failed with its reason and still finishes the audit', async () => {
    h.fakes.impl.runPresenceModule = async (i) => {
      if (i.module === 'page') throw ApplicationFailure.nonRetryable('the page checks did not finish within 25 s', 'presence_timeout');
      return { checks: [], facts: [], notes: [], sources: [], finalUrl: null };
    };
    let outcomes: PresenceModuleOutcome[] = [];
    h.fakes.impl.finishPresenceAudit = async (i) => {
      outcomes = i.outcomes;
      return { overall: 40, grade: 'F' };
    };
    const handle = await start('a2');
    expect((await handle.result()).status).toBe('completed');
    expect(outcomes.find((o) => o.id === 'page')).toEqual({ id: 'page', status: 'failed', output: null, error: 'the page checks did not finish within 25 s' });
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
