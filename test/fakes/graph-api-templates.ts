/**
 * The WhatsApp business account's message templates in the fake Graph API, as Meta serves them:
 *
 *   POST /vXX.X/{waba-id}/message_templates   {name, language, category, components} → {id, status, category}
 *   GET  /vXX.X/{waba-id}/message_templates   ?fields=…&limit=…&after=… → {data, paging}
 *
 * A submission is checked as Meta checks it (name, category, a BODY component, one example per
 * `{{n}}` parameter, no second template with the same name and language) and starts PENDING;
 * `review` decides it later, as Meta's reviewers do.
 */
import { randomBytes } from 'node:crypto';

export interface FakeTemplate {
  id: string;
  name: string;
  language: string;
  category: string;
  status: string;
  rejected_reason?: string;
  components: { type: string; text?: string; example?: unknown }[];
}

type Answer = { status: number; body: unknown };
type GraphError = (message: string, code?: number) => unknown;

export function fakeTemplateStore(graphError: GraphError) {
  const accounts = new Map<string, string>();
  const templates = new Map<string, FakeTemplate[]>();

  function validate(body: any, existing: FakeTemplate[]): string | null {
    if (!body || typeof body !== 'object') return 'a JSON body is required';
    if (typeof body.name !== 'string' || !/^[a-z0-9_]{1,512}$/.test(body.name)) return 'Param name must be lower-case letters, digits and underscores';
    if (typeof body.language !== 'string' || !body.language) return 'Param language is required';
    if (!['MARKETING', 'UTILITY', 'AUTHENTICATION'].includes(body.category)) return 'Param category must be one of {AUTHENTICATION, MARKETING, UTILITY}';
    const bodyComponent = Array.isArray(body.components) ? body.components.find((c: any) => c?.type === 'BODY') : undefined;
    if (typeof bodyComponent?.text !== 'string' || !bodyComponent.text) return 'a BODY component with text is required';
    if (bodyComponent.text.length > 1024) return 'Param components[0][text] must be at most 1024 characters';
    const parameters = new Set([...bodyComponent.text.matchAll(/\{\{(\d+)\}\}/g)].map((m: RegExpMatchArray) => m[1]));
    const examples = bodyComponent.example?.body_text?.[0];
    if (parameters.size && (!Array.isArray(examples) || examples.length !== parameters.size)) return 'Number of parameters does not match the expected number of params';
    if (existing.some((t) => t.name === body.name && t.language === body.language)) return 'Content in this language already exists';
    return null;
  }

  return {
    addBusinessAccount: (wabaId: string, accessToken: string) => accounts.set(wabaId, accessToken),
    templatesOf: (wabaId: string) => templates.get(wabaId) ?? [],
    /** Meta's review: the template's new status (and why, when rejected). */
    review(id: string, status: string, reason?: string): FakeTemplate {
      const template = [...templates.values()].flat().find((t) => t.id === id);
      if (!template) throw new Error(`no template ${id}`);
      template.status = status;
      template.rejected_reason = status === 'REJECTED' ? (reason ?? 'INVALID_FORMAT') : 'NONE';
      return template;
    },
    /** Answers a message_templates request, or null when `node` is no business account. */
    handle(method: string, node: string, auth: string, body: any, query: URLSearchParams): Answer | null {
      const token = accounts.get(node);
      if (token === undefined) return null;
      if (token !== auth) return { status: 401, body: graphError('Invalid OAuth access token.', 190) };
      const list = templates.get(node) ?? [];
      templates.set(node, list);
      if (method === 'POST') {
        const problem = validate(body, list);
        if (problem) return { status: 400, body: graphError(`(#100) Invalid parameter: ${problem}`, 100) };
        const template: FakeTemplate = { id: String(BigInt(`0x${randomBytes(6).toString('hex')}`)), name: body.name, language: body.language, category: body.category, status: 'PENDING', components: body.components };
        list.push(template);
        return { status: 200, body: { id: template.id, status: template.status, category: template.category } };
      }
      if (method === 'GET') {
        const limit = Math.min(Number(query.get('limit') ?? 25) || 25, 100);
        const start = query.get('after') ? Number(Buffer.from(query.get('after')!, 'base64url').toString()) : 0;
        const data = list.slice(start, start + limit);
        const end = start + data.length;
        const cursor = (at: number) => Buffer.from(String(at)).toString('base64url');
        return { status: 200, body: { data, paging: { cursors: { before: cursor(start), after: cursor(end) }, ...(end < list.length ? { next: `…?after=${cursor(end)}` } : {}) } } };
      }
      return { status: 400, body: graphError(`Unsupported ${method} request`, 100) };
    },
  };
}
