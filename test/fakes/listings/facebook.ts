/**
 * A local fake of the Facebook Graph API's Page node: `GET /{version}/{page-id or username}
 * ?fields=…&access_token=…`, answering only the fields asked (and `id`). Graph's errors:
 * no token → 400 code 104 (OAuthException, "An access token is required"); a wrong token → 400
 * code 190; an unknown page → 400 code 100 subcode 33; an unknown field → 400 code 100.
 */
import type { FacebookPage } from '../../../presence/providers/facebook';
import { FACEBOOK_PAGE_FIELDS } from '../../../presence/providers/facebook';
import { startFake, type FakeServer } from './server';

export interface FakeFacebookGraph extends FakeServer {
  addPage(page: FacebookPage & { username?: string }): void;
}

export const graphError = (message: string, type: string, code: number, subcode?: number) => ({
  error: { message, type, code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: 'A1b2C3d4E5f' },
});

const KNOWN_FIELDS = new Set([...FACEBOOK_PAGE_FIELDS, 'id', 'about', 'category', 'emails', 'location']);

export async function startFakeFacebookGraph(accessToken: string): Promise<FakeFacebookGraph> {
  const pages = new Map<string, FacebookPage & { username?: string }>();
  const fake = await startFake((req) => {
    const m = /^\/v\d+\.\d+\/([^/]+)$/.exec(req.path);
    if (req.method !== 'GET' || !m) return { status: 400, body: graphError('Unknown path components', 'OAuthException', 2500) };
    const token = req.query.get('access_token');
    if (!token) return { status: 400, body: graphError('An access token is required to request this resource.', 'OAuthException', 104) };
    if (token !== accessToken) return { status: 400, body: graphError('Invalid OAuth access token - Cannot parse access token', 'OAuthException', 190) };
    const idOrName = decodeURIComponent(m[1]);
    const page = pages.get(idOrName) ?? [...pages.values()].find((p) => p.username === idOrName);
    if (!page)
      return { status: 400, body: graphError(`Unsupported get request. Object with ID '${idOrName}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, 'GraphMethodException', 100, 33) };
    const fields = (req.query.get('fields') ?? 'name,id').split(',').map((f) => f.trim());
    const unknown = fields.find((f) => !KNOWN_FIELDS.has(f));
    if (unknown) return { status: 400, body: graphError(`(#100) Tried accessing nonexisting field (${unknown}) on node type (Page)`, 'OAuthException', 100) };
    const out: Record<string, unknown> = { id: page.id };
    for (const f of fields) if (f in page && f !== 'username') out[f] = (page as unknown as Record<string, unknown>)[f];
    return { status: 200, body: out };
  });
  return { ...fake, addPage: (p) => void pages.set(p.id, p) };
}
