/** Fake presenceFollowUp activities for workflow tests and recorded histories: a scheduled run's audit row, a lead's mail. */
import type { PresenceSurfaceActivities } from '../../../activities/presence-surface/types';

export const presenceSurfaceFakes = (): PresenceSurfaceActivities => ({
  preparePresenceScheduledAudit: async ({ tenantId }) => ({
    workflowId: `presence:${tenantId}:00000000-0000-4000-8000-00000000a001`,
    input: { tenantId, auditId: '00000000-0000-4000-8000-00000000a001', url: 'https://bistro.example/', profiles: {}, brandVoiceId: null },
  }),
  mailPresenceLead: async () => ({ mailed: true }),
});
