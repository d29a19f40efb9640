import { describe, expect, it } from 'vitest';
import { diff, MAX_CHANGES, REDACTED, redact } from './audit';

describe('redact', () => {
  it('hides secret fields at any depth, keeps booleans that only say one is set, cuts long texts', () => {
    const out = redact({ name: 'x', apiKey: 'sk-1', apiKeySet: true, nested: [{ password: 'p', signingSecret: 's', url: 'https://a' }], note: 'n'.repeat(600) }) as any;
    expect(out).toMatchObject({ name: 'x', apiKey: REDACTED, apiKeySet: true, nested: [{ password: REDACTED, signingSecret: REDACTED, url: 'https://a' }] });
    expect(out.note).toHaveLength(501);
    expect(JSON.stringify(out)).not.toMatch(/sk-1|"p"|"s"/);
  });
});

describe('diff', () => {
  it('lists each changed leaf by its path, with additions and removals', () => {
    const before = { name: 'Front desk', graph: { nodes: [{ id: 'a', data: { prompt: 'Hi' } }] }, tags: ['x'] };
    const after = { name: 'Front desk', graph: { nodes: [{ id: 'a', data: { prompt: 'Hello' } }, { id: 'b' }] }, description: 'new' };
    expect(diff(before, after)).toEqual([
      { path: 'graph.nodes.0.data.prompt', before: 'Hi', after: 'Hello' },
      { path: 'graph.nodes.1', after: { id: 'b' } },
      { path: 'tags', before: ['x'] },
      { path: 'description', after: 'new' },
    ]);
  });

  it('shows that a secret changed without showing it, and nothing for an unchanged one', () => {
    expect(diff({ secret: 'a', url: 'u' }, { secret: 'b', url: 'u' })).toEqual([{ path: 'secret', before: REDACTED, after: REDACTED }]);
    expect(diff({ secret: 'a' }, { secret: 'a' })).toEqual([]);
  });

  it('stops at MAX_CHANGES entries', () => {
    const many = (v: number) => Object.fromEntries(Array.from({ length: MAX_CHANGES + 50 }, (_, i) => [`f${i}`, v]));
    expect(diff(many(1), many(2))).toHaveLength(MAX_CHANGES);
  });
});
