/**
 * Variables are named by builders and filled from contacts' answers and HTTP responses, so any
 * name may occur. Names that are also Object.prototype members used to break rendering or leak.
 */
import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../core/template';

describe('template variables named like Object.prototype members', () => {
  it('a variable named hasOwnProperty does not break the rest of the template', () => {
    expect(renderTemplate('{{hasOwnProperty}} and {{name}}', { hasOwnProperty: 'x', name: 'Ada' })).toBe('x and Ada');
    expect(renderTemplate('{{name}}, {{hasOwnProperty}}, {{name}}', { hasOwnProperty: 'yes', name: 'Ada' })).toBe('Ada, yes, Ada');
  });

  it('constructor, toString, valueOf and __proto__ render their own values, or nothing', () => {
    const vars = JSON.parse('{"constructor":"c","toString":"t","__proto__":{"name":"P"},"name":"Ada"}') as Record<string, unknown>;
    expect(renderTemplate('{{constructor}}|{{toString}}|{{__proto__.name}}|{{name}}', vars)).toBe('c|t|P|Ada');
    // Not variables: inherited members are not looked up, so nothing is called and nothing leaks.
    expect(renderTemplate('[{{valueOf}}][{{constructor}}][{{toString}}][{{__proto__}}][{{name.constructor}}]', { name: 'Ada', secret: 's3' })).toBe('[][][][][]');
  });

  it('nested objects, sections, lists and primitives keep working', () => {
    const vars = { order: { id: 7, hasOwnProperty: 1, items: ['a', 'b'] }, name: 'Ada', flag: true };
    expect(renderTemplate('{{order.id}} {{order.hasOwnProperty}} {{order.items.length}} {{name.length}}', vars)).toBe('7 1 2 3');
    expect(renderTemplate('{{#order}}{{id}}/{{name}}{{/order}} {{#order.items}}<{{.}}>{{/order.items}} {{#flag}}on{{/flag}}{{^missing}}none{{/missing}}', vars)).toBe('7/Ada <a><b> onnone');
  });
});
