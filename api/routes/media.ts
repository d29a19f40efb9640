/**
 * `GET /media/{key}?expires=…&signature=…`: the media store's objects for browsers and channel
 * providers (WhatsApp and Messenger fetch a video by link). The signed URL is the credential
 * (media/signed-url.ts): a tampered or expired one gets 403. Range requests (206, 416) let players
 * seek; the ETag is the object's SHA-256 and caches may keep it until the URL expires. An HLS
 * playlist is served with its segments' own signed URLs (media/playlist.ts).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { mediaQuery } from '../../core/api/media';
import { AppError } from '../../core/errors';
import { isPlaylistKey, MAX_PLAYLIST_BYTES, PLAYLIST_CONTENT_TYPE, signPlaylist } from '../../media/playlist';
import { parseRange } from '../../media/range';
import { isValidMediaKey, mediaStoreFromConfig, mediaUrlSignerFromConfig } from '../../media/store';
import type { AppDeps } from '../deps';

const INLINE_TYPES = /^(video\/|audio\/|image\/(jpeg|png|webp|gif|avif)$|application\/vnd\.apple\.mpegurl$)/i;

/** Shared caches (a CDN in front) may keep an object this long at most, however long its URL lives. */
const MAX_CACHE_SECONDS = 86_400;

/** Request logs show a media URL without its signature (whoever reads the log could fetch the object). */
export const maskMediaSignature = (url: string) => (url.startsWith('/media/') ? url.replace(/([?&]signature=)[^&#]*/, '$1***') : url);

export const mediaRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const store = deps.mediaStore ?? mediaStoreFromConfig(deps.config);
    const signer = mediaUrlSignerFromConfig(deps.config);

    /** A playlist (never large) with its segments signed until the playlist's own URL expires. */
    const signedPlaylist = async (key: string, ttlSeconds: number) => {
      const read = await store.read(key);
      if (!read) throw new AppError('not_found', 'no such media');
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of read.body) {
        size += chunk.length;
        if (size > MAX_PLAYLIST_BYTES) throw new AppError('payload_too_large', 'the playlist is too large');
        chunks.push(Buffer.from(chunk));
      }
      return signPlaylist(Buffer.concat(chunks).toString('utf8'), key, store, Math.max(1, ttlSeconds));
    };

    app.get('/media/*', { config: { public: true }, schema: { hide: true, querystring: mediaQuery } }, async (request, reply) => {
      const key = (request.params as { '*': string })['*'];
      if (!isValidMediaKey(key)) throw new AppError('not_found', 'no such media');
      const check = signer.verify(key, request.query.expires, request.query.signature);
      if (!check.ok) throw new AppError('forbidden', check.reason === 'expired' ? 'this media link has expired' : 'this media link is not valid');
      const object = await store.head(key);
      if (!object) throw new AppError('not_found', 'no such media');

      const remaining = Number(request.query.expires) - Math.floor(Date.now() / 1000);
      const etag = object.sha256 ? `"${object.sha256}"` : null;
      reply
        .header('accept-ranges', 'bytes')
        .header('cache-control', `public, max-age=${Math.max(0, Math.min(remaining, MAX_CACHE_SECONDS))}`)
        // Players on other sites (the web-chat widget) load it; the type is never sniffed.
        .header('cross-origin-resource-policy', 'cross-origin')
        // Pictures, sound and video play in place; anything else (a stored HTML or SVG file) only downloads, never runs on this origin.
        .header('content-disposition', `${INLINE_TYPES.test(object.contentType) ? 'inline' : 'attachment'}; filename="${key.split('/').at(-1)}"`);
      if (etag) reply.header('etag', etag);
      if (etag && request.headers['if-none-match']?.split(',').some((t) => t.trim() === etag)) return reply.code(304).send();

      if (isPlaylistKey(key)) return reply.type(PLAYLIST_CONTENT_TYPE).send(await signedPlaylist(key, remaining));

      const answer = parseRange(request.headers.range, object.byteSize);
      if (answer.kind === 'unsatisfiable') return reply.code(416).header('content-range', `bytes */${object.byteSize}`).send();
      const range = answer.kind === 'partial' ? answer.range : undefined;
      const read = await store.read(key, range);
      if (!read) throw new AppError('not_found', 'no such media');
      reply.type(object.contentType);
      if (range) {
        reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${object.byteSize}`).header('content-length', range.end - range.start + 1);
      } else {
        reply.header('content-length', object.byteSize);
      }
      return reply.send(read.body);
    });
  };
