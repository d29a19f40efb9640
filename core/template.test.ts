import { describe, expect, it } from 'vitest';
import { parseTemplate, renderTemplate } from './template';

describe('templates', () => {
  it('renders variables without HTML escaping', () => {
    expect(renderTemplate('Hi {{name}} & <welcome>', { name: 'Ann & "Bob"' })).toBe('Hi Ann & "Bob" & <welcome>');
  });
  it('supports dotted paths and renders missing variables empty', () => {
    expect(renderTemplate('Order {{order.id}} for {{nobody}}!', { order: { id: 7 } })).toBe('Order 7 for !');
  });
  it('renders objects as JSON', () => {
    expect(renderTemplate('{{o}}', { o: { a: 1 } })).toBe('{"a":1}');
  });
  it('reports broken templates', () => {
    expect(parseTemplate('Hi {{name}}')).toBeNull();
    expect(parseTemplate('Hi {{#items}} no close')).toMatch(/Unclosed section/);
  });
});
