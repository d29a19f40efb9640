/** The pure parts of calls: menu matching, answers for the ear, TwiML rendering, webhook parsing. */
import { describe, expect, it } from 'vitest';
import { matchMenuOption } from '../../core/voice/menu';
import { spokenAnswer } from '../../core/voice/spoken';
import { parseCallEvent } from '../../voice/events';
import { renderTwiml } from '../../voice/twiml';
import { parseTwiml } from './support/caller';

const options = [
  { key: '1', keywords: ['booking', 'book a table'] },
  { key: '2', keywords: ['opening hours', 'hours'] },
];

describe('menu matching', () => {
  it('takes the first key pressed, and nothing for a key no option has', () => {
    expect(matchMenuOption(options, { digits: '2#', speech: 'booking' })).toMatchObject({ option: { key: '2' }, by: 'dtmf' });
    expect(matchMenuOption(options, { digits: '7', speech: null })).toBeNull();
  });
  it('matches spoken keywords as whole words or phrases, any case and accent', () => {
    expect(matchMenuOption(options, { digits: null, speech: 'I would like to BOOK A TABLE' })?.option.key).toBe('1');
    expect(matchMenuOption(options, { digits: null, speech: 'your opening hours?' })?.option.key).toBe('2');
    expect(matchMenuOption(options, { digits: null, speech: 'bookings' })).toBeNull();
    expect(matchMenuOption([{ key: '3', keywords: ['café'] }], { digits: null, speech: 'Cafe please' })?.option.key).toBe('3');
  });
  it('hears a key said aloud', () => {
    expect(matchMenuOption(options, { digits: null, speech: 'two' })).toMatchObject({ option: { key: '2' }, by: 'speech' });
    expect(matchMenuOption(options, { digits: null, speech: 'um' })).toBeNull();
  });
});

describe('answers for the ear', () => {
  it('drops citation markers, sources lines, links and markdown, and keeps three sentences', () => {
    const text = 'We open at **noon** [1]. See https://example.com/hours for more.\n\nSources: Hours page (p. 2)\n- Closed on Mondays [2].\nBook online. Or call us.';
    expect(spokenAnswer(text)).toBe('We open at noon. See for more. Closed on Mondays.');
  });
  it('cuts a long sentence at a word', () => {
    const long = `${'word '.repeat(200)}end.`;
    const out = spokenAnswer(long);
    expect(out.length).toBeLessThanOrEqual(451);
    expect(out.endsWith('…')).toBe(true);
  });
});

describe('TwiML', () => {
  it('renders verbs with the attributes Twilio needs, escaping text', () => {
    const xml = renderTwiml([
      { verb: 'say', text: 'Fish & chips <today>', language: 'en-GB' },
      { verb: 'gather', input: ['dtmf', 'speech'], action: 'https://x.test/v1/webhooks/voice/c/gather?node=menu&x=1', numDigits: 1, timeout: 5, hints: ['booking', 'hours'], prompt: [{ verb: 'play', url: 'https://x.test/a.wav' }] },
      { verb: 'dial', action: 'https://x.test/dial?node=t', number: '+14155550100', whisperUrl: 'https://x.test/whisper', timeout: 20 },
      { verb: 'record', action: 'https://x.test/record?node=r', maxLength: 60, playBeep: true, recordingStatusCallback: 'https://x.test/recording?node=r' },
      { verb: 'hangup' },
    ]);
    const verbs = parseTwiml(xml);
    expect(verbs.map((v) => v.name)).toEqual(['Say', 'Gather', 'Dial', 'Record', 'Hangup']);
    expect(verbs[0]).toMatchObject({ text: 'Fish & chips <today>', attrs: { language: 'en-GB' } });
    expect(verbs[1].attrs).toMatchObject({ input: 'dtmf speech', action: 'https://x.test/v1/webhooks/voice/c/gather?node=menu&x=1', numDigits: '1', timeout: '5', hints: 'booking, hours', actionOnEmptyResult: 'true' });
    expect(verbs[1].children).toMatchObject([{ name: 'Play', text: 'https://x.test/a.wav' }]);
    expect(verbs[2].children).toMatchObject([{ name: 'Number', text: '+14155550100', attrs: { url: 'https://x.test/whisper' } }]);
    expect(verbs[3].attrs).toMatchObject({ maxLength: '60', playBeep: 'true', recordingStatusCallback: 'https://x.test/recording?node=r' });
  });
});

describe('webhook parameters', () => {
  const sid = `CA${'a'.repeat(32)}`;
  it('reads each kind, refusing what is malformed by its parameter', () => {
    expect(parseCallEvent(null, { CallSid: sid, CallStatus: 'in-progress', From: '+1', To: '+2', Direction: 'outbound-api', AnsweredBy: 'machine_start' }, null)).toMatchObject({ kind: 'answered', direction: 'outbound', answeredBy: 'machine_start' });
    expect(parseCallEvent('gather', { CallSid: sid, SpeechResult: 'hello', Confidence: '0.8' }, 'menu')).toMatchObject({ kind: 'gather', nodeId: 'menu', speech: 'hello', confidence: 0.8, digits: null });
    expect(parseCallEvent('status', { CallSid: sid, CallStatus: 'initiated' }, null)).toMatchObject({ kind: 'status', callStatus: 'queued' });
    expect(parseCallEvent('recording', { CallSid: sid, RecordingUrl: 'https://r', RecordingDuration: '7' }, 'r')).toMatchObject({ kind: 'record', phase: 'status', recordingDuration: 7 });
    expect(() => parseCallEvent('status', { CallSid: sid, CallDuration: 'long' }, null)).toThrow(expect.objectContaining({ field: 'CallDuration' }));
    expect(() => parseCallEvent('dial', { CallSid: sid, DialCallStatus: 'maybe' }, null)).toThrow(expect.objectContaining({ field: 'DialCallStatus' }));
    expect(() => parseCallEvent(null, { CallSid: 'CA123' }, null)).toThrow(expect.objectContaining({ field: 'CallSid' }));
  });
});
