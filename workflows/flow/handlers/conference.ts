/**
 * conference: joins the caller to a conference room (`<Dial><Conference>`). The room's name is the
 * rendered template, kept to letters, digits, `-` and `_`, prefixed with the tenant so two tenants
 * on one Twilio account never meet. The Dial action comes when the caller leaves the room:
 * `completed`, or `failed` when Twilio could not connect them. Outside a call it follows `failed`.
 */
import { renderTemplate } from '../../../core/template';
import type { NodeHandler } from '../types';

/** Twilio names conferences by FriendlyName; ours: `{tenantId}-{room}`. */
export const conferenceName = (tenantId: string, room: string) => `${tenantId}-${room.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'room'}`;

export const conference: NodeHandler<'conference'> = {
  async run(node, rt) {
    if (!rt.call) return { kind: 'follow', handle: 'failed', output: { error: 'not a phone call' } };
    const room = renderTemplate(node.data.room, rt.variables);
    if (node.data.announcement) rt.call.verb(await rt.call.speech(node.id, renderTemplate(node.data.announcement, rt.variables)));
    const name = conferenceName(rt.tenantId, room);
    rt.call.verb({ verb: 'conference', name, action: rt.call.callbackUrl('dial', node.id), startConferenceOnEnter: node.data.startOnEnter, endConferenceOnExit: node.data.endOnExit, beep: node.data.beep });
    return { kind: 'await', retries: 0, output: { room: name } };
  },

  async event(_node, _rt, event) {
    if (event.kind !== 'dial') return { kind: 'follow', handle: 'failed', output: { error: `expected the conference's end, got a ${event.kind} callback` } };
    const ok = event.dialCallStatus === 'completed' || event.dialCallStatus === 'answered';
    return { kind: 'follow', handle: ok ? 'completed' : 'failed', output: { dialCallStatus: event.dialCallStatus, seconds: event.dialCallDuration } };
  },
};
