import { describe, expect, it } from 'vitest';
import { ImportFormatError, parseCsvRows, parseImportFile, parseJsonRows } from './bulk-rows';

describe('bulk import rows', () => {
  it('reads a CSV with a BOM, quoted newlines and any-case headers; a question/answer pair keeps both', () => {
    const csv = '\uFEFFQuestion,ANSWER\n"Open on Sunday?","Yes,\nfrom 10."\nParking?,   \n';
    const { rows, rejected } = parseCsvRows(Buffer.from(csv));
    expect(rows).toEqual([{ row: 1, name: 'Open on Sunday?', text: 'Open on Sunday?\n\nYes,\nfrom 10.' }]);
    expect(rejected).toEqual([{ row: 2, field: 'text', message: expect.stringContaining('no text') }]);
  });

  it('names a row by its title column, else by the first line of its text, shortened', () => {
    const { rows } = parseJsonRows([{ name: 'Menu', text: 'Soup' }, { text: `${'long '.repeat(60)}\nsecond line` }]);
    expect(rows[0]).toMatchObject({ name: 'Menu', text: 'Soup' });
    expect([...rows[1].name].length).toBeLessThanOrEqual(120);
    expect(rows[1].name.endsWith('…')).toBe(true);
  });

  it('refuses a CSV without a text column, naming what it found', () => {
    expect(() => parseCsvRows(Buffer.from('sku,price\n1,2\n'))).toThrow(ImportFormatError);
    expect(() => parseCsvRows(Buffer.from('sku,price\n1,2\n'))).toThrow(/found sku, price/);
  });

  it('tells JSONL from CSV by name, type, then content', () => {
    const line = Buffer.from('{"text":"a"}\n');
    expect(parseImportFile(line, 'x.jsonl').rows).toHaveLength(1);
    expect(parseImportFile(line, 'upload', 'application/x-ndjson').rows).toHaveLength(1);
    expect(parseImportFile(line).rows).toHaveLength(1);
    expect(parseImportFile(Buffer.from('text\nhello\n'), 'faq.csv').rows).toEqual([{ row: 1, name: 'hello', text: 'hello' }]);
  });

  it('rejects text that cannot be stored instead of storing a broken row', () => {
    expect(parseJsonRows([{ text: 'bad \u0000 byte' }]).rejected).toEqual([{ row: 1, field: 'text', message: expect.stringContaining('NUL') }]);
  });
});
