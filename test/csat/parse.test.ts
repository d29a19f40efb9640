/** parseCsat: what a contact may write or tap, and the score it means (1–5; thumbs up 5, down 1). */
import { describe, expect, it } from 'vitest';
import { csatInteractive, parseCsat } from '../../core/csat';

describe('parseCsat on the five scale', () => {
  it.each([
    ['5', 5],
    [' 3 ', 3],
    ['5 stars', 5],
    ['4/5', 4],
    ['I would say 2', 2],
    ['4 ⭐ Good', 4],
    ['⭐⭐⭐', 3],
    ['★★★★★', 5],
    ['👍', 5],
    ['👍🏽', 5],
    ['👎', 1],
    ['four', 4],
    ['cinco', 5],
    ['Excellent!', 5],
    ['it was great', 5],
    ['good', 4],
    ['muy bien', 5],
    ['regular', 3],
    ['malo', 2],
    ['pésimo', 1],
    ['not good', 2],
    ['yes', 5],
    ['no', 1],
  ])('%s → %s', (text, score) => expect(parseCsat(text, 'five')).toBe(score));

  it.each(['', '   ', '0', '6', '10 out of 10', 'what?', 'maybe later', 'no idea', 'not sure', 'I don\'t know', 'no sé', 'can I talk to someone about my invoice from last month please'])('%j is no rating', (text) =>
    expect(parseCsat(text, 'five')).toBeNull(),
  );
});

describe('parseCsat on the thumbs scale', () => {
  it.each([
    ['👍 Yes', 5],
    ['👎 No', 1],
    ['yes', 5],
    ['Yes!', 5],
    ['yep', 5],
    ['sí', 5],
    ['si', 5],
    ['claro', 5],
    ['no', 1],
    ['nope', 1],
    ['para nada', 1],
    ['insatisfecho', 1],
    ['5', 5],
    ['1', 1],
    ['great', 5],
    ['terrible', 1],
  ])('%s → %s', (text, score) => expect(parseCsat(text, 'thumbs')).toBe(score));

  it('a middling number says neither up nor down', () => expect(parseCsat('3', 'thumbs')).toBeNull());
});

describe('csatInteractive', () => {
  it('offers nothing to tap on text-only channels, and quick replies (a list) on Messenger', () => {
    expect(csatInteractive('five', 'sms')).toBeUndefined();
    expect(csatInteractive('thumbs', 'email')).toBeUndefined();
    expect(csatInteractive('thumbs', 'messenger')?.type).toBe('list');
    expect(csatInteractive('thumbs', 'whatsapp')?.type).toBe('buttons');
  });

  it('every option title parses back to its own score', () => {
    for (const scale of ['five', 'thumbs'] as const) {
      for (const o of csatInteractive(scale, 'webchat')!.options) expect(parseCsat(o.title, scale)).toBe(Number(o.id.split(':')[1]));
    }
  });
});
