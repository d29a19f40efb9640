import { askNode } from './ask';
import { conditionNode } from './condition';
import { endNode } from './end';
import { handoffNode } from './handoff';
import { httpRequestNode } from './httpRequest';
import { llmReplyNode } from './llmReply';
import { sendMessageNode } from './sendMessage';
import { setVariableNode } from './setVariable';
import { startNode } from './start';
import { waitNode } from './wait';

/** The node catalogue: adding a node type is one file here and one handler in workflows/flow/handlers. */
export const NODE_CATALOGUE = [
  startNode,
  sendMessageNode,
  askNode,
  conditionNode,
  setVariableNode,
  llmReplyNode,
  handoffNode,
  httpRequestNode,
  waitNode,
  endNode,
] as const;

export type NodeType = (typeof NODE_CATALOGUE)[number]['type'];
export const NODE_TYPES = NODE_CATALOGUE.map((n) => n.type) as [NodeType, ...NodeType[]];
export const nodeDefinition = (type: string) => NODE_CATALOGUE.find((n) => n.type === type);

export { askNode, conditionNode, endNode, handoffNode, httpRequestNode, llmReplyNode, sendMessageNode, setVariableNode, startNode, waitNode };
export { llmToolSchema, outputFilterSchema } from './llmReply';
export type { NodeDefinition } from './define';
