import type { ValidNode } from '../../../core/graph/schema';
import type { NodeType } from '../../../core/nodes';
import type { NodeHandler } from '../types';
import { ask } from './ask';
import { bookAppointment } from './bookAppointment';
import { condition } from './condition';
import { csat } from './csat';
import { end } from './end';
import { handoff } from './handoff';
import { httpRequest } from './httpRequest';
import { llmReply } from './llmReply';
import { sendMessage } from './sendMessage';
import { setVariable } from './setVariable';
import { start } from './start';
import { wait } from './wait';
import { sendVideo } from './sendVideo';
import { say } from './say';
import { hangup } from './hangup';
import { play } from './play';
import { menu } from './menu';
import { gather } from './gather';
import { placeCall } from './placeCall';
import { businessHours } from './businessHours';
import { transfer } from './transfer';
import { conference } from './conference';
import { record } from './record';

/** One handler per node type of the catalogue (core/nodes), one line each; the compiler checks none is missing. */
const HANDLERS: { [T in NodeType]: NodeHandler<T> } = {
  start,
  sendMessage,
  ask,
  condition,
  setVariable,
  llmReply,
  handoff,
  httpRequest,
  wait,
  bookAppointment,
  end,
  csat,
  sendVideo,
  say,
  hangup,
  play,
  menu,
  gather,
  placeCall,
  businessHours,
  transfer,
  conference,
  record,
};

export function handlerFor<N extends ValidNode>(node: N): NodeHandler<N['type']> {
  const handler = HANDLERS[node.type as N['type']] as NodeHandler<N['type']> | undefined;
  if (!handler) throw new Error(`no handler for node type "${node.type}"`);
  return handler;
}
