import type { z } from 'zod';
import { askNode } from './ask';
import { bookAppointmentNode } from './bookAppointment';
import { conditionNode } from './condition';
import { csatNode } from './csat';
import type { NodeDefinition } from './define';
import { endNode } from './end';
import { handoffNode } from './handoff';
import { httpRequestNode } from './httpRequest';
import { llmReplyNode } from './llmReply';
import { sendMessageNode } from './sendMessage';
import { setVariableNode } from './setVariable';
import { startNode } from './start';
import { waitNode } from './wait';
import { sendVideoNode } from './sendVideo';
import { sayNode } from './say';
import { hangupNode } from './hangup';
import { playNode } from './play';
import { menuNode } from './menu';
import { gatherNode } from './gather';
import { placeCallNode } from './placeCall';
import { businessHoursNode } from './businessHours';
import { transferNode } from './transfer';
import { conferenceNode } from './conference';
import { recordNode } from './record';

/**
 * The node catalogue. A node type is its module here plus one line in this list and one handler
 * in workflows/flow/handlers; the types below, the validator and the console follow from it.
 */
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
  bookAppointmentNode,
  endNode,
  csatNode,
  sendVideoNode,
  sayNode,
  hangupNode,
  playNode,
  menuNode,
  gatherNode,
  placeCallNode,
  businessHoursNode,
  transferNode,
  conferenceNode,
  recordNode,
] as const;

export type NodeType = (typeof NODE_CATALOGUE)[number]['type'];
export const NODE_TYPES = NODE_CATALOGUE.map((n) => n.type) as [NodeType, ...NodeType[]];
export const nodeDefinition = (type: string): NodeDefinition | undefined => NODE_CATALOGUE.find((n) => n.type === type);

/** A node of one catalogue type whose data passed that type's schema (defaults applied). */
type Typed<D> = D extends NodeDefinition<infer T, infer S> ? { id: string; type: T; position?: { x: number; y: number }; data: z.output<S> } : never;

/** Every valid node, as a union discriminated by `type`: derived from the catalogue, never written by hand. */
export type ValidNode = Typed<(typeof NODE_CATALOGUE)[number]>;

export { askNode, bookAppointmentNode, conditionNode, endNode, handoffNode, httpRequestNode, llmReplyNode, sendMessageNode, setVariableNode, startNode, waitNode };
export { csatNode };
export { llmToolSchema, outputFilterSchema } from './llmReply';
export type { NodeDefinition } from './define';
