/**
 * The decisions of HLS playback that need no browser: which way to play, which requests
 * carry the access token, which rendition a quality setting means, which load failures are
 * worth another try, and how much priming the browser left in. `hls-attacher.ts` applies them.
 */
import type { UserSettings } from '../shared/api/tonearm';

export type StreamingQuality = UserSettings['streaming_quality'];

/** How this browser plays a track. */
export type PlaybackPath = 'hls.js' | 'progressive';

/**
 * hls.js wherever it runs (Media Source Extensions, or ManagedMediaSource on iOS 17.1+);
 * otherwise the progressive original. Never the browser's own HLS instead of hls.js:
 * Chromium answers `canPlayType('application/vnd.apple.mpegurl')` with "maybe" yet cannot
 * play AES-128 fMP4. And not native HLS as a second choice either: it cannot add the
 * `Authorization` header our key requests need, so on the browsers that would take it
 * (Safari before iOS 17.1, which has no MSE) every encrypted segment would fail.
 */
export function playbackPath(hlsJsSupported: boolean): PlaybackPath {
  return hlsJsSupported ? 'hls.js' : 'progressive';
}

/**
 * Only the API's track routes under our own origin get the access token: the HLS entry
 * (which redirects to the master) and the AES keys. Playlists and segments are public,
 * content-addressed and cached by CDNs for every listener, so they must go without it.
 */
export function needsAuthorization(url: string, origin: string): boolean {
  const target = new URL(url, origin);
  return target.origin === origin && target.pathname.startsWith('/api/v1/tracks/');
}

/**
 * Whether a failed playlist, key or segment load is worth another try: the connection
 * dropped (status 0: our media is same-origin, so it is no CORS refusal), a `401` (the
 * token is renewed meanwhile), timeouts and transient statuses (408, 429, 5xx such as
 * `503 transcoder_busy`). Refusals (403) and missing files (404) are final.
 */
export function isRetryableLoadStatus(status: number | undefined): boolean {
  if (status === undefined) return false;
  return status === 0 || status === 401 || status === 408 || status === 429 || status >= 500;
}

/** The server's renditions from lowest to highest, as the ladder names them. */
export const RENDITION_ORDER = ['he-aac-48', 'aac-lc-64', 'aac-lc-128', 'aac-lc-256', 'flac'] as const;

/** The rendition each fixed quality asks for; `auto` leaves the choice to hls.js's ABR. */
const RENDITION_FOR_QUALITY: Record<Exclude<StreamingQuality, 'auto'>, (typeof RENDITION_ORDER)[number]> = {
  low: 'he-aac-48',
  normal: 'aac-lc-128',
  high: 'aac-lc-256',
  lossless: 'flac',
};

/**
 * The level to play for a quality setting, among the renditions of the listener's master
 * (already capped to the tier): the best one at or below the choice, else the lowest there
 * is. `-1` is automatic (hls.js adapts to the connection).
 */
export function levelForQuality(quality: StreamingQuality, renditions: readonly (string | null)[]): number {
  if (quality === 'auto') return -1;
  const ceiling = RENDITION_ORDER.indexOf(RENDITION_FOR_QUALITY[quality]);
  let best = -1;
  let bestRank = -1;
  let lowest = -1;
  let lowestRank = Number.POSITIVE_INFINITY;
  renditions.forEach((rendition, index) => {
    const rank = RENDITION_ORDER.indexOf(rendition as (typeof RENDITION_ORDER)[number]);
    if (rank < 0) return;
    if (rank <= ceiling && rank > bestRank) [best, bestRank] = [index, rank];
    if (rank < lowestRank) [lowest, lowestRank] = [index, rank];
  });
  return best >= 0 ? best : lowest;
}

/** The rendition a media playlist belongs to: `/api/v1/media/hls/{track}/{rendition}/{digest}/index.m3u8`. */
export function renditionOf(playlistUrl: string): string | null {
  const match = /\/api\/v1\/media\/hls\/\d+\/([^/]+)\/[^/]+\/index\.m3u8$/.exec(new URL(playlistUrl, 'http://x').pathname);
  return match?.[1] ?? null;
}

/**
 * The priming the browser left at the start of the media timeline, from where it buffered
 * the end of the first media segment against where the playlist ends it. Every
 * rendition starts with encoder priming that the init segment's edit list removes; hls.js
 * passes edit lists to MSE untouched and places segments by their `tfdt`. A browser that
 * applies the edit list (Chromium) buffers segment k exactly where the playlist puts it, so
 * its end is the playlist's end; one that ignores it buffers it later by the priming.
 */
export function primingLeftIn(bufferedEnd: number, playlistEnd: number): number {
  const late = bufferedEnd - playlistEnd;
  // Under a millisecond is the playlist's rounding of EXTINF (microseconds), not priming.
  return late > 0.001 ? late : 0;
}
