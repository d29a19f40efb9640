import { describe, expect, it } from 'vitest';
import { keyedSerializer } from './sink';

const later = (ms: number, value: string, log: string[]) => () => new Promise<string>((done) => setTimeout(() => (log.push(value), done(value)), ms));

describe('keyedSerializer', () => {
  it('runs one key’s work in call order, even when a later call is faster, and other keys alongside', async () => {
    const inOrder = keyedSerializer();
    const log: string[] = [];
    const started = Date.now();
    await Promise.all([
      inOrder('c1', later(60, 'c1-1', log)),
      inOrder('c1', later(5, 'c1-2', log)),
      inOrder('c2', later(5, 'c2-1', log)),
      inOrder(null, later(1, 'none', log)),
      inOrder('c1', later(1, 'c1-3', log)),
    ]);
    expect(log.filter((x) => x.startsWith('c1'))).toEqual(['c1-1', 'c1-2', 'c1-3']);
    // c2 and the unkeyed work did not wait behind c1's slow first call.
    expect(log.indexOf('c2-1')).toBeLessThan(log.indexOf('c1-1'));
    expect(log.indexOf('none')).toBeLessThan(log.indexOf('c1-1'));
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('goes on after a failed call, and hands each caller its own result', async () => {
    const inOrder = keyedSerializer();
    const failed = inOrder('c', () => Promise.reject(new Error('boom')));
    const next = inOrder('c', async () => 'ok');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
  });
});
