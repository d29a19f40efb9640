import { describe, expect, it } from 'vitest';
import { choiceInteractive, validateAnswer } from '../answers';
import { validateGraph } from '../graph/validate';

const flowWith = (data: Record<string, unknown>) => ({
  nodes: [
    { id: 'start', type: 'start', data: {} },
    { id: 'send', type: 'sendMessage', data: { text: 'Hi {{name}}', ...data } },
    { id: 'end', type: 'end', data: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'send' },
    { id: 'e2', source: 'send', target: 'end' },
  ],
});
const messages = (data: Record<string, unknown>) => validateGraph(flowWith(data)).errors.map((e) => e.message);

describe('sendMessage media and template', () => {
  it('accepts a file and a template whose fields use variables, and defaults parameters', () => {
    const r = validateGraph(flowWith({ media: { url: 'https://cdn.example.com/{{file}}.pdf', contentType: 'application/pdf', caption: 'For {{name}}' }, template: { name: 'order_update', language: 'en_US' } }));
    expect(r.errors).toEqual([]);
    const send = r.graph?.nodes.find((n) => n.id === 'send');
    expect(send?.type === 'sendMessage' && send.data.template?.parameters).toEqual([]);
    expect(validateGraph(flowWith({ media: { url: '{{invoiceUrl}}', contentType: 'application/pdf' } })).valid).toBe(true);
  });

  it('names the field that is wrong', () => {
    expect(messages({ media: { url: 'ftp://files.example.com/a.jpg', contentType: 'image/jpeg' } })).toEqual([
      `Node 'send': media.url must start with http:// or https:// (or be a {{variable}})`,
    ]);
    expect(messages({ media: { url: 'https://x.example/a', contentType: 'jpeg' } })).toEqual([`Node 'send': media.contentType must be a MIME type such as image/jpeg or application/pdf`]);
    expect(messages({ media: { contentType: 'image/png' } })).toEqual([`Node 'send': media.url is required`]);
    expect(messages({ template: { name: 'Order Update', language: 'en_US', parameters: [] } })).toEqual([
      `Node 'send': template.name must be the approved template name (lowercase letters, digits, _)`,
    ]);
    expect(messages({ template: { name: 'order_update', language: 'English', parameters: [] } })).toEqual([`Node 'send': template.language must be a language code such as en or en_US`]);
  });

  it('takes a video with its poster, and names a poster that is no web URL', () => {
    expect(validateGraph(flowWith({ media: { url: 'https://cdn.example.com/v.mp4', contentType: 'video/mp4', posterUrl: '{{poster}}' } })).valid).toBe(true);
    expect(messages({ media: { url: 'https://cdn.example.com/v.mp4', contentType: 'video/mp4', posterUrl: 'file:///etc/passwd' } })).toEqual([
      `Node 'send': media.posterUrl must start with http:// or https:// (or be a {{variable}})`,
    ]);
    expect(messages({ media: { url: 'https://cdn.example.com/v.mp4', contentType: 'video/mp4', posterUrl: 'https://x.example/{{#p}}' } })).toEqual([
      expect.stringMatching(/^Node 'send': media\.posterUrl has a broken placeholder/),
    ]);
  });

  it('checks placeholders inside nested template fields', () => {
    expect(messages({ template: { name: 'order_update', language: 'en', parameters: ['{{name}}', '{{#open}}'] } })).toEqual([
      expect.stringMatching(/^Node 'send': template\.parameters\.1 has a broken placeholder/),
    ]);
    expect(messages({ media: { url: 'https://x.example/{{#a}}', contentType: 'image/png', caption: '{{b' } }).length).toBe(2);
  });
});

describe('choice options', () => {
  it('offers up to three choices as buttons and more as a list, ids = the choices', () => {
    expect(choiceInteractive(['Yes', ' No '])).toEqual({ type: 'buttons', options: [{ id: 'Yes', title: 'Yes' }, { id: 'No', title: 'No' }] });
    expect(choiceInteractive(['a', 'b', 'c', 'd'])?.type).toBe('list');
  });

  it('accepts a tapped title the provider shortened, only when it names one choice', () => {
    const choices = ['Saturday brunch with live music', 'Saturday brunch without music', 'Monday'];
    expect(validateAnswer('Saturday brunch with liv', { inputType: 'choice', choices })).toEqual({ ok: true, value: choices[0] });
    expect(validateAnswer('Saturday brunch with', { inputType: 'choice', choices }).ok).toBe(false);
    expect(validateAnswer('Mon', { inputType: 'choice', choices }).ok).toBe(false);
  });
});
