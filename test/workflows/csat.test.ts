/**
 * The csat node on the dev server, per kind of channel: web chat gets stars / thumb buttons, WhatsApp
 * an interactive list / reply buttons (checked through the adapter's own request body), SMS the
 * question as text with how to answer, whose reply is parsed leniently.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { Channel } from '../../core/messages';
import { whatsappBody } from '../../channels/whatsapp/outbound';
import { messengerMessage } from '../../channels/messenger/index';
import { conversationInput, flow } from './support/flows';
import { startHarness, type Harness } from './support/harness';
import { talk } from './support/conversation';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(inject('temporalAddress'), 'csat');
});
afterAll(async () => h?.close());
beforeEach(() => h.fakes.reset());

const csatFlow = (data: Record<string, unknown>) =>
  flow(
    [
      { id: 'start', type: 'start' },
      { id: 'rate', type: 'csat', data: { question: 'How did we do?', ...data } },
      { id: 'happy', type: 'sendMessage', data: { text: 'Glad to hear it ({{csat_score}}).' } },
      { id: 'sad', type: 'sendMessage', data: { text: 'Sorry about that ({{csat_score}}).' } },
      { id: 'silent', type: 'sendMessage', data: { text: 'No worries.' } },
      { id: 'end', type: 'end' },
    ],
    [
      ['start', 'rate'],
      ['rate', 'happy', 'satisfied'],
      ['rate', 'sad', 'unsatisfied'],
      ['rate', 'silent', 'noAnswer'],
      ['happy', 'end'],
      ['sad', 'end'],
      ['silent', 'end'],
    ],
  );

const on = (graph: ReturnType<typeof csatFlow>, channel: Channel) => talk(h, { ...conversationInput(graph), channel });
const delivered = (workflowId: string) => h.fakes.of(workflowId, 'deliverMessage').map((d) => d.input.message);

describe('csat node', () => {
  it('web chat: stars for 1–5, a tapped option stores the score and follows satisfied', async () => {
    const c = on(csatFlow({}), 'webchat');
    const ask = await c.turn('hi');
    expect(ask.replies[0].text).toBe('How did we do?');
    expect(ask.replies[0].rich?.interactive).toMatchObject({ type: 'list', style: 'stars' });
    expect(ask.replies[0].rich?.interactive?.options.map((o) => o.id)).toEqual(['csat:5', 'csat:4', 'csat:3', 'csat:2', 'csat:1']);
    expect(await c.say('4 ⭐ Good')).toEqual(['Glad to hear it (4).']);
    const [record] = h.fakes.of(c.workflowId, 'recordCsat');
    expect(record.input).toMatchObject({ nodeId: 'rate', scale: 'five', score: 4, answer: '4 ⭐ Good', final: true, channel: 'webchat' });
    expect(record.input.key).toMatch(/:rate:/);
    expect((await c.state()).variables).toMatchObject({ csat_score: 4 });
  });

  it('web chat: thumbs are two buttons; a thumbs down is 1 and follows unsatisfied', async () => {
    const c = on(csatFlow({ scale: 'thumbs' }), 'webchat');
    const ask = await c.turn('hi');
    expect(ask.replies[0].rich?.interactive).toEqual({ type: 'buttons', style: 'thumbs', options: [{ id: 'csat:5', title: '👍 Yes' }, { id: 'csat:1', title: '👎 No' }] });
    expect(await c.say('👎')).toEqual(['Sorry about that (1).']);
    expect(h.fakes.of(c.workflowId, 'recordCsat')[0].input).toMatchObject({ scale: 'thumbs', score: 1 });
  });

  it('WhatsApp: reply buttons for thumbs and a list for 1–5, in the Cloud API body', async () => {
    const thumbs = on(csatFlow({ scale: 'thumbs' }), 'whatsapp');
    await thumbs.turn('hi');
    const [question] = delivered(thumbs.workflowId);
    const buttons = whatsappBody('+31600000001', { text: question.text, ...question.rich }) as any;
    expect(buttons.type).toBe('interactive');
    expect(buttons.interactive).toMatchObject({ type: 'button', body: { text: 'How did we do?' } });
    expect(buttons.interactive.action.buttons.map((b: any) => b.reply)).toEqual([{ id: 'csat:5', title: '👍 Yes' }, { id: 'csat:1', title: '👎 No' }]);
    // A tapped reply button comes back as its title.
    expect(await thumbs.say('👍 Yes')).toEqual(['Glad to hear it (5).']);

    const five = on(csatFlow({}), 'whatsapp');
    await five.turn('hi');
    const list = whatsappBody('+31600000001', { text: 'How did we do?', ...delivered(five.workflowId)[0].rich }) as any;
    expect(list.interactive.type).toBe('list');
    expect(list.interactive.action.button).toBe('Rate');
    expect(list.interactive.action.sections[0].rows.map((r: any) => r.title)).toEqual(['5 ⭐ Excellent', '4 ⭐ Good', '3 ⭐ Okay', '2 ⭐ Poor', '1 ⭐ Very poor']);
    expect(await five.say('2 ⭐ Poor')).toEqual(['Sorry about that (2).']);
  });

  it('Messenger: quick replies', async () => {
    const c = on(csatFlow({ scale: 'thumbs' }), 'messenger');
    await c.turn('hi');
    const body = messengerMessage({ text: 'How did we do?', ...delivered(c.workflowId)[0].rich }) as any;
    expect(body.quick_replies.map((q: any) => q.title)).toEqual(['👍 Yes', '👎 No']);
  });

  it('SMS: the question says how to answer; a lenient reply, one retry, then no answer', async () => {
    const c = on(csatFlow({}), 'sms');
    const ask = await c.turn('hi');
    expect(ask.replies[0].text).toBe('How did we do?\n\nReply with a number from 1 (very poor) to 5 (excellent).');
    expect(ask.replies[0].rich).toBeUndefined();
    expect(await c.say('five stars!!')).toEqual(['Glad to hear it (5).']);

    const thumbs = on(csatFlow({ scale: 'thumbs', instruction: 'Responda SI o NO.' }), 'sms');
    expect(await thumbs.say('hola')).toEqual(['How did we do?\n\nResponda SI o NO.']);
    expect(await thumbs.say('sí')).toEqual(['Glad to hear it (5).']);

    const confused = on(csatFlow({ retryPrompt: 'Just a number from 1 to 5, please.' }), 'sms');
    await confused.say('hi');
    expect(await confused.say('what?')).toEqual(['Just a number from 1 to 5, please.\n\nReply with a number from 1 (very poor) to 5 (excellent).']);
    expect(await confused.say('maybe later')).toEqual(['No worries.']);
    expect(h.fakes.of(confused.workflowId, 'recordCsat')).toHaveLength(0);
    expect((await confused.state()).trace.find((t) => t.nodeId === 'rate' && t.handle === 'noAnswer')).toBeTruthy();
  });

  it('asks the follow-up, and the comment completes the stored rating', async () => {
    const c = on(csatFlow({ followUp: 'What could we do better?' }), 'webchat');
    await c.say('hi');
    expect(await c.say('3')).toEqual(['What could we do better?']);
    expect(h.fakes.of(c.workflowId, 'recordCsat')[0].input).toMatchObject({ score: 3, final: false });
    expect(await c.say('Answer faster')).toEqual(['Sorry about that (3).']);
    expect(h.fakes.of(c.workflowId, 'completeCsat')[0].input).toMatchObject({ nodeId: 'rate', comment: 'Answer faster' });
    expect((await c.state()).variables).toMatchObject({ csat_score: 3, csat_comment: 'Answer faster' });
  });
});
