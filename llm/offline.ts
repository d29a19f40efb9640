/**
 * What answers when a tenant has no language model configured. It never imitates one: the reply
 * says plainly that free-form questions cannot be answered, and summaries are extractive
 * (core/summary.ts).
 */

export const OFFLINE_REPLY =
  'No language model is configured for this assistant yet, so I cannot answer free-form questions. ' +
  'A team member can help you: ask for a human, or try again later.';

/** The offline answer while the tenant's LLM tokens for the month are used up (README "Quotas"). */
export const OVER_QUOTA_REPLY =
  'This assistant has used up its language-model allowance for this month, so I cannot answer free-form questions right now. ' +
  'A team member can help you: ask for a human, or try again later.';
