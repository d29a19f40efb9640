/** The marketing assistant's activities: thin calls into `assistant/` with the conversation's tenant. */
import { answerOffline } from '../../assistant/offline';
import { runAssistantTool } from '../../assistant/tools';
import type { ActivityDeps } from '../deps';
import type { AssistantActivities } from './types';

export function assistantActivities({ orm, config, redis }: ActivityDeps): AssistantActivities {
  const deps = { orm, config, redis };
  return {
    async assistantTool({ tenantId, name, arguments: raw }) {
      const { content, source } = await runAssistantTool(deps, tenantId, name, raw);
      return source ? { content, source } : { content };
    },
    async assistantOffline({ tenantId, question }) {
      const { text, sources } = await answerOffline(deps, tenantId, question);
      return { text, sources };
    },
  };
}
