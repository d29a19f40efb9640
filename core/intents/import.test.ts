/** Bulk examples: CSV and JSON lines in, a 400 naming the line (field `data`) for a bad row. */
import { expect, it } from 'vitest';
import { AppError } from '../errors';
import { parseExamples } from './import';

const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected a failure');
};

it('reads CSV with intent and text columns, in any order, with quotes and extra columns', () => {
  const rows = parseExamples('csv', 'text,intent,source\n"Where is my card, please?",card_arrival,chat\nI lost my card ,lost_card,mail\n');
  expect(rows).toEqual([
    { intent: 'card_arrival', text: 'Where is my card, please?' },
    { intent: 'lost_card', text: 'I lost my card' },
  ]);
});

it('reads JSON lines, skipping blank lines', () => {
  expect(parseExamples('jsonl', '{"intent":"refund","text":"money back"}\n\n{"intent":"refund","text":"refund me"}\n')).toHaveLength(2);
});

it('names the bad line', () => {
  const csv = failure(() => parseExamples('csv', 'intent,text\nrefund,ok\nBad Name,hello\n'));
  expect(csv).toBeInstanceOf(AppError);
  expect(csv.message).toMatch(/^line 3: intent must be lower-case/);
  expect(csv.field).toBe('data');
  expect(failure(() => parseExamples('jsonl', '{"intent":"a","text":"x"}\nnot json')).message).toBe('line 2: not valid JSON');
  expect(failure(() => parseExamples('jsonl', '{"intent":"a","text":"  "}')).message).toBe('line 1: text must not be empty');
  expect(failure(() => parseExamples('csv', 'name,utterance\na,b\n')).message).toMatch(/header must name an intent and a text column/);
  expect(failure(() => parseExamples('csv', 'intent,text\n')).message).toBe('data holds no examples');
});
