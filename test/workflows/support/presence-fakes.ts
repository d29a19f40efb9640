/** Fake presenceAudit activities for workflow tests: two modules in phase 1, one in phase 2, each answering one passing check. */
import type { PresenceAuditActivities } from '../../../activities/presence/types';
import { checkResultOf } from '../../../core/presence/rubric';

export const presenceFakes = (): PresenceAuditActivities => ({
  planPresenceAudit: async () => ({ modules: [{ id: 'transport', phase: 1 }, { id: 'page', phase: 1 }, { id: 'consistency', phase: 2 }], startedAt: '2026-12-27T20:00:00.000Z' }),
  runPresenceModules: async ({ modules }) =>
    modules.map((module) => ({
      id: module,
      status: 'done',
      output: {
        checks: [checkResultOf(module === 'transport' ? 'https' : 'title', { status: 'pass', summary: 'fake', evidence: [{ label: 'module', value: module }] })],
        facts: module === 'page' ? [{ source: 'website', name: 'Fake Bistro' }] : [],
        notes: [],
        sources: ['website'],
        finalUrl: null,
      },
      error: null,
    })),
  finishPresenceAudit: async () => ({ overall: 100, grade: 'A' }),
  failPresenceAudit: async () => {},
});
