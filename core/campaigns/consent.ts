/**
 * Per-channel consent of a contact. Campaign content goes only to a contact who opted in on that
 * channel and has not opted out since; an opt-out on any campaign path is honoured by every
 * campaign at once.
 */
export const CONSENT_STATUSES = ['opted_in', 'opted_out'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

/** How a consent changed: where the opt-in came from, or how the opt-out was said. */
export const CONSENT_METHODS = [
  'import', // CSV import column
  'console', // changed by a user
  'api', // changed by an API client
  'form', // a public form (booking page, grader) with a consent box
  'keyword', // an inbound START / STOP-like keyword on SMS or WhatsApp
  'provider', // the provider reported it (Twilio's OptOutType, a WhatsApp block)
  'unsubscribe-link', // the link in a campaign email or message
  'list-unsubscribe', // the mail client's one-click List-Unsubscribe-Post
] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

/** Why a targeted contact was not sent a campaign on a channel; each is counted in the results. */
export const SKIP_REASONS = ['no_consent', 'no_address', 'opted_out'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];
