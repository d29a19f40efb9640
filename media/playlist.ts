/**
 * HLS playlists from the media store: a playlist names its segments relative to itself
 * (`segment000.ts`), which a signed URL cannot reach, so the API serves a playlist with every
 * segment line replaced by that segment's own signed URL, expiring with the playlist's.
 */
import { isValidMediaKey } from './keys';
import type { MediaStore } from './types';

export const PLAYLIST_CONTENT_TYPE = 'application/vnd.apple.mpegurl';
/** A VOD playlist of an hour in 6-s segments is ~30 kB. */
export const MAX_PLAYLIST_BYTES = 1024 * 1024;

export const isPlaylistKey = (key: string) => key.endsWith('.m3u8');

/** The playlist with its segment URIs signed; a URI that is not a sibling object is dropped. */
export async function signPlaylist(text: string, key: string, store: MediaStore, ttlSeconds: number): Promise<string> {
  const dir = key.slice(0, key.lastIndexOf('/'));
  const lines = await Promise.all(
    text.split(/\r?\n/).map(async (line) => {
      const uri = line.trim();
      if (!uri || uri.startsWith('#')) return line;
      const segment = `${dir}/${uri}`;
      // Only plain names of objects next to the playlist: no other folder, scheme or query.
      if (uri.includes('/') || !isValidMediaKey(segment)) return null;
      return store.signedUrl(segment, ttlSeconds);
    }),
  );
  return lines.filter((l): l is string => l !== null).join('\n');
}
