/**
 * `conversation`: one contact's conversation on one channel, for as long as it lives. Turns come
 * in through the `turn` update (sync channels) or the `inbound` signal (async channels); the flow
 * graph is pinned in the input and refreshed only at continue-as-new.
 */
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  agentMessageSignal,
  closeSignal,
  conversationStateQuery,
  inboundSignal,
  releaseSignal,
  takeOverSignal,
  turnUpdate,
  type ConversationInput,
  type InboundText,
} from './messages';
import { ConversationSession } from './runtime/conversation-session';
import { setChangedRunAttributes, setRunAttributes } from './runtime/search-attributes';

/**
 * Events per run before a conversation continues as new, far below the server's suggestion (4K
 * events): a worker that takes a conversation over (after a restart, or its sticky cache let it go)
 * replays the whole run's history before the turn, and the chaos run measured a restarted worker's
 * first task at 5.6 s median on histories of up to 2,200 events. A bounded history bounds that
 * replay; carrying the state over costs one workflow task every ~70 turns. Runs started before
 * the patch keep the server's suggestion, which their histories followed.
 */
export const CONVERSATION_HISTORY_LIMIT = 1000;
export const BOUNDED_HISTORY_PATCH = 'conversation-bounded-history';

export async function conversation(input: ConversationInput): Promise<void> {
  const s = new ConversationSession(input);

  // Handlers first, before any await: update-with-start delivers the first turn with the start.
  setHandler(turnUpdate, (msg) => s.turnUpdate(msg), { validator: (msg) => validateInbound(s, msg) });
  setHandler(inboundSignal, async (msg) => {
    if (isText(msg) && !s.closeRequested) await s.inbound(msg);
  });
  setHandler(agentMessageSignal, async ({ text, agent }) => {
    if (text?.trim()) await s.agentMessage(text, agent);
  });
  setHandler(takeOverSignal, () => s.takeOver());
  setHandler(releaseSignal, () => s.release());
  setHandler(closeSignal, () => {
    s.closeRequested = true;
  });
  setHandler(conversationStateQuery, () => s.state());

  const attributes = { TenantId: input.tenantId, FlowId: input.flowId, FlowVersion: input.flowVersion, Channel: input.channel, Stage: s.status };
  if (s.oneMarker) setChangedRunAttributes(attributes);
  else setRunAttributes(attributes);

  const bounded = s.hasPatch(BOUNDED_HISTORY_PATCH);
  const canContinueAsNew = () => {
    const info = workflowInfo();
    return (info.continueAsNewSuggested || (bounded && info.historyLength > CONVERSATION_HISTORY_LIMIT)) && s.idle;
  };
  let reason: 'idle' | 'requested' = 'requested';
  for (;;) {
    // Sleep until the earliest deadline. Turns push the idle deadline later without waking the
    // loop (no timer is cancelled and re-created per message); only a deadline that moved
    // earlier (an ask with a timeout) re-arms the timer.
    const armedFor = s.nextDeadline();
    const woke = await condition(() => s.closeRequested || s.nextDeadline() < armedFor || canContinueAsNew(), Math.max(1, armedFor - Date.now()));
    if (s.closeRequested) break;
    if (canContinueAsNew()) {
      await condition(() => allHandlersFinished() && s.idle);
      return continueAsNew<typeof conversation>({ ...input, carried: s.carry() });
    }
    if (woke) continue;
    if (s.inputDue()) await s.inputTimeout();
    else if (s.idleDue()) {
      // A turn that is still running (e.g. on a wait node) keeps the conversation open.
      if (s.idle) {
        reason = 'idle';
        break;
      }
      await condition(() => s.idle);
    }
  }
  await s.close(reason);
  await condition(allHandlersFinished);
}

function isText(msg: InboundText | undefined): msg is InboundText {
  return typeof msg?.text === 'string' && msg.text.trim().length > 0;
}

function validateInbound(s: ConversationSession, msg: InboundText): void {
  if (!isText(msg)) throw new Error('text must not be empty');
  if (s.closeRequested || s.status === 'closed') throw new Error('conversation is closed');
}
