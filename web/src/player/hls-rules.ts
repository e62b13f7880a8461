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

/** One rendition a master offers: its media playlist and its peak bit rate (RFC 8216 §4.3.4.2 BANDWIDTH). */
export interface Variant {
  url: string;
  bitrate: number;
  rendition: string | null;
}

/** The variants of a master playlist, with absolute URLs (resolved against the master's). */
export function masterVariants(text: string, masterUrl: string): Variant[] {
  const variants: Variant[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    if (!line.startsWith('#EXT-X-STREAM-INF:')) return;
    const uri = lines.slice(index + 1).find((next) => next.trim() !== '' && !next.startsWith('#'));
    if (!uri) return;
    const bitrate = Number(/(?:^|[:,])BANDWIDTH=(\d+)/.exec(line)?.[1] ?? 0);
    const url = new URL(uri.trim(), masterUrl).href;
    variants.push({ url, bitrate, rendition: renditionOf(url) });
  });
  return variants;
}

/** What a start needs of a media playlist besides the key: its init segment and first media segment. */
export function firstFiles(text: string, playlistUrl: string): string[] {
  const init = /#EXT-X-MAP:URI="([^"]+)"/.exec(text)?.[1];
  const first = text.split(/\r?\n/).find((line) => line.trim() !== '' && !line.startsWith('#'));
  return [init, first].filter((uri): uri is string => uri !== undefined).map((uri) => new URL(uri.trim(), playlistUrl).href);
}

/**
 * The init and first segment of a media playlist before it is read: the server names a
 * rendition's files `init.mp4` and `{n}.m4s` beside its `index.m3u8` (`crates/media`,
 * `manifest/hls.rs`). Fetched beside the playlist, they save a start the round trip of
 * reading it first; `firstFiles` of the playlist read corrects a wrong guess.
 */
export function predictedFirstFiles(playlistUrl: string): string[] {
  return ['init.mp4', '0.m4s'].map((name) => new URL(name, playlistUrl).href);
}

/** The server's segment length (`DEFAULT_SEGMENT_SECONDS`); a start decides before reading any media playlist. */
export const ASSUMED_SEGMENT_SECONDS = 6;
/**
 * A track starts on the best rendition whose first segment arrives within this at the
 * link's estimated speed: one segment must be whole before the first sound, so its size
 * is the wait. At 1.5 Mbit/s that is HE-AAC 48 (36 kB, ~0.2 s) rather than AAC-LC 128
 * (96 kB, ~0.5 s); hls.js's ABR steps up from the next segment once it measures the link.
 */
export const START_BUDGET_SECONDS = 0.4;

export interface StartChoice {
  quality: StreamingQuality;
  /** The rendition whose playlist and first segment were fetched ahead for this master (the fastest start there is). */
  warmed: string | null;
  /** The rendition the previous track played on in this session (no drop in quality between tracks). */
  lastRendition: string | null;
  /** The link's speed in bit/s, measured before or told by the browser; null when unknown. */
  estimateBps: number | null;
  /** The browser's data saver: as "Low". */
  saveData: boolean;
}

/**
 * The level a track starts on. A fixed quality (or data saver) is that rendition. In
 * automatic: the one warmed ahead, else the one the previous track played on, else the
 * best that fits the link (`START_BUDGET_SECONDS`), and the lowest AAC rung when the link
 * is unknown.
 */
export function startLevel(variants: readonly Pick<Variant, 'rendition' | 'bitrate'>[], choice: StartChoice): number {
  const renditions = variants.map((variant) => variant.rendition);
  if (choice.quality !== 'auto') return levelForQuality(choice.quality, renditions);
  const lowest = levelForQuality('low', renditions);
  if (choice.saveData) return lowest;
  for (const preferred of [choice.warmed, choice.lastRendition]) {
    const index = preferred === null ? -1 : renditions.indexOf(preferred);
    if (index >= 0) return index;
  }
  if (choice.estimateBps === null) return lowest;
  const budgetBits = choice.estimateBps * START_BUDGET_SECONDS;
  let best = lowest;
  variants.forEach((variant, index) => {
    const fits = variant.bitrate * ASSUMED_SEGMENT_SECONDS <= budgetBits;
    if (fits && variant.bitrate > (variants[best]?.bitrate ?? 0)) best = index;
  });
  return best;
}
