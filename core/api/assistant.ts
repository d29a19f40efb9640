/** The marketing assistant's API (api/routes/assistant.ts): one conversation per console user. */
import { z } from 'zod';
import { messageSchema, replySchema, sendTurnBody } from './conversations';

export const assistantStartBody = z
  .object({ restart: z.boolean().optional().describe('Start a new conversation instead of continuing the current one') })
  .nullish();

export const assistantSession = z
  .object({
    conversationId: z.string(),
    /** For the chat socket (`GET /v1/chat?token=`): streamed answers. */
    token: z.string(),
    expiresAt: z.string(),
    /** False: answers come from the offline rules (figures and lists only). */
    modelConfigured: z.boolean(),
    /** What can be asked without a model (the offline rules' examples). */
    offlineExamples: z.array(z.string()),
    /** The conversation so far, oldest first (at most the last 100 messages). */
    messages: z.array(messageSchema),
  })
  .meta({ id: 'AssistantSession' });

export const assistantMessageBody = sendTurnBody;
export const assistantTurn = z.object({ replies: z.array(replySchema) });
export type AssistantSession = z.infer<typeof assistantSession>;
