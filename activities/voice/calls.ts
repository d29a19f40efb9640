/** The `ivrCall` workflow's database work (local activities, workflows/voice/): the caller, the call row, the transcript. */
import { beginCall, recordCallTurn } from '../../voice/store';
import type { ActivityDeps } from '../deps';
import type { CallActivities } from './types';

export function callActivities({ orm }: ActivityDeps): CallActivities {
  return {
    beginCall: (input) => beginCall(orm, input),
    recordCallTurn: (input) => recordCallTurn(orm, input),
  };
}
