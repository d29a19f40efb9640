/** The workflow bundle's entry: the worker bundles exactly these workflow functions. */
export { calendarSync } from './calendarSync';
export { appointment } from './appointment';
export { campaign } from './campaign';
export { conversation } from './conversation';
export { fetchInboundMedia } from './fetchInboundMedia';
export { flowRun } from './flowRun';
export { imapMailbox } from './imapMailbox';
export { ingestBatch } from './ingestBatch';
export { ingestDocument } from './ingestDocument';
export { analyticsReport } from './analyticsReport';
export { alertEvaluation } from './alertEvaluation';
export { retention } from './retention';
export { videoRender } from './videoRender';
export { presenceAudit } from './presenceAudit';
