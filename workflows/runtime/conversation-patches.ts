/**
 * The conversation workflow's patches (`patched()` names) and the constants they bring: each
 * changed the commands a turn produces, so runs started before keep the old path and every
 * recorded history replays (test/replay/coverage.ts names a history for each).
 */

/**
 * A turn is answered once its replies and the conversation row are stored, before the context is
 * folded into the summary (an activity task and a second workflow task), and a flow with no node
 * that reads the context folds only every UNREAD_CONTEXT_SLACK messages. Runs started before keep
 * answering after the fold, folding every half window.
 */
export const ANSWER_BEFORE_BOOKKEEPING_PATCH = 'conversation-answer-before-bookkeeping';
/**
 * Messages a flow that never reads the context lets the window grow by before folding: the
 * summary is still kept (a later version of the flow, taken at continue-as-new, may read it),
 * in one fold per this many messages instead of one nearly every turn.
 */
export const UNREAD_CONTEXT_SLACK = 40;

/**
 * A flow that never reads the context folds it in the workflow, extractively (core/summary.ts),
 * instead of in a `summarize` activity: nothing of the flow reads that summary, so a model call
 * (tokens on the tenant's bill) and an activity task with a second workflow task bought nothing.
 * A later version of the flow that reads the context starts from the extractive summary, the
 * most recent ~1,500 characters of what left the window. Checked when the first such fold is
 * due, so runs that never fold carry no marker; runs that folded before keep the activity.
 */
export const UNREAD_CONTEXT_IN_WORKFLOW_PATCH = 'conversation-unread-context-in-workflow';

/**
 * The replies a walk produces on a channel the platform delivers itself (web chat, API) are
 * stored together, in one local activity (`deliverMessages`), when the walk next does anything
 * else or the turn is answered, instead of one local activity per reply. Runs started before
 * keep one per reply.
 */
export const BATCHED_REPLIES_PATCH = 'conversation-batched-replies';

/**
 * A turn on a batched channel walks before the contact's message is stored: the message is
 * stored with the walk's replies in one local activity (`recordTurn`) at the walk's first
 * activity, timer or answer, and the walk is discarded (the conversation's state put back) when
 * the message turns out to be an appointment's awaited answer or a consent keyword, or cannot be
 * stored. Runs started before store the message first, in its own local activity.
 */
export const INBOUND_WITH_REPLIES_PATCH = 'conversation-inbound-with-replies';

/**
 * Runs since this patch take every conversation patch before it (the three above and the bounded
 * history) from this one marker, and upsert at start only the search attributes that differ from
 * the ones the run started with. Each marker cost the run an event and, from the SDK's core, a
 * `TemporalChangeVersion` search-attribute upsert (another event, and a visibility write on the
 * server), so a new conversation's first task wrote four markers and five upserts for nothing
 * its own behaviour needed. Runs started before keep one marker per patch and their upsert.
 */
export const ONE_MARKER_PATCH = 'conversation-one-patch-marker';
