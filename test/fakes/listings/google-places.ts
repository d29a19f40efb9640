/**
 * A local fake of the Google Places API (New), the two calls the adapter makes:
 *
 *   POST /v1/places:searchText   body {textQuery, pageSize?}   → {places: [Place]} ({} when none)
 *   GET  /v1/places/{placeId}                                  → Place
 *
 * Like Google it wants `X-Goog-Api-Key` (else 403 PERMISSION_DENIED; a wrong key is 400
 * INVALID_ARGUMENT with reason API_KEY_INVALID) and `X-Goog-FieldMask` (else 400), returns only
 * the masked fields, answers an unknown place 404 NOT_FOUND, and a body without textQuery 400.
 */
import type { GooglePlace } from '../../../presence/providers/google-places';
import { startFake, type FakeServer } from './server';

export interface FakeGooglePlaces extends FakeServer {
  addPlace(place: GooglePlace): void;
}

export const googleError = (code: number, status: string, message: string, reason?: string) => ({
  error: { code, message, status, ...(reason ? { details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'googleapis.com', metadata: { service: 'places.googleapis.com' } }] } : {}) },
});

function masked(place: GooglePlace, mask: string[], prefix: string): Partial<GooglePlace> {
  if (mask.includes('*') || mask.includes(`${prefix}*`)) return place;
  const out: Record<string, unknown> = {};
  for (const f of mask) {
    const key = f.startsWith(prefix) ? f.slice(prefix.length) : null;
    if (key && key in place) out[key] = (place as unknown as Record<string, unknown>)[key];
  }
  return out as Partial<GooglePlace>;
}

export async function startFakeGooglePlaces(apiKey: string): Promise<FakeGooglePlaces> {
  const places = new Map<string, GooglePlace>();
  const fake = await startFake((req) => {
    const key = req.headers['x-goog-api-key'];
    if (!key) return { status: 403, body: googleError(403, 'PERMISSION_DENIED', 'The request is missing a valid API key.') };
    if (key !== apiKey) return { status: 400, body: googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', 'API_KEY_INVALID') };
    const mask = (req.headers['x-goog-fieldmask'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (!mask.length) return { status: 400, body: googleError(400, 'INVALID_ARGUMENT', 'FieldMask is a required parameter. See https://cloud.google.com/apis/docs/system-parameters on how to provide it.') };
    if (req.method === 'POST' && req.path === '/v1/places:searchText') {
      const q = typeof req.body?.textQuery === 'string' ? req.body.textQuery.toLowerCase() : '';
      if (!q) return { status: 400, body: googleError(400, 'INVALID_ARGUMENT', 'Invalid request: text_query must be non-empty.') };
      const words = q.split(/[\s,]+/).filter((w: string) => w.length > 2);
      const hits = [...places.values()].filter((p) => {
        const hay = `${p.displayName?.text ?? ''} ${p.formattedAddress ?? ''}`.toLowerCase();
        return words.filter((w: string) => hay.includes(w)).length >= Math.ceil(words.length / 2);
      });
      const size = Number(req.body?.pageSize ?? 20);
      return { status: 200, body: hits.length ? { places: hits.slice(0, size).map((p) => masked(p, mask, 'places.')) } : {} };
    }
    const m = /^\/v1\/places\/([^/]+)$/.exec(req.path);
    if (req.method === 'GET' && m) {
      const place = places.get(decodeURIComponent(m[1]));
      if (!place) return { status: 404, body: googleError(404, 'NOT_FOUND', 'Requested entity was not found.') };
      return { status: 200, body: masked(place, mask, '') };
    }
    return { status: 404, body: googleError(404, 'NOT_FOUND', `Method not found.`) };
  });
  return { ...fake, addPlace: (p) => void places.set(p.id, p) };
}
