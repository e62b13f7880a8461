import Hls, { ErrorDetails, ErrorTypes, Events, type ErrorData, type HlsConfig, type LoaderConfig, type LoaderResponse, type PlaylistLoaderConstructor } from 'hls.js/dist/hls.light.min.mjs';
import { errorFromResponse } from '../shared/api/errors';
import { BoundedMap } from '../shared/bounded-map';
import type { TokenSource } from '../shared/api/http';
import type { PlaybackFailure, PlaybackSource, SourceAttacher } from './audio-engine';
import type { BandwidthMemory } from './bandwidth-memory';
import {
  isRetryableLoadStatus,
  levelForQuality,
  needsAuthorization,
  primingLeftIn,
  renditionOf,
  startLevel,
  type StreamingQuality,
  type Variant,
} from './hls-rules';
import { primedPlaylistLoader } from './primed-playlist-loader';
import type { PrimedPlaylists } from './primed-playlists';

export interface HlsAttacherDependencies {
  tokens: TokenSource;
  /** Playlists the app already has: hls.js is handed them instead of fetching them. */
  primed: PrimedPlaylists;
  origin: string;
  setTimer: (callback: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
}

/** Whether hls.js can run here (MSE, or ManagedMediaSource on iOS 17.1+). */
export function hlsJsSupported(): boolean {
  return Hls.isSupported();
}

/** Fatal network errors are recovered this many times in a row (1 s, 2 s, 4 s … 16 s apart) before the player is told. */
const NETWORK_RECOVERIES = 5;
const FIRST_RECOVERY_DELAY_MS = 1_000;

/**
 * What the hls.js of both media elements (and the warmer) share to choose where a track
 * starts: the listener's quality, the rendition that played last, what was warmed ahead,
 * and the link's measured speed (see `startLevel`).
 */
export class RenditionChoice {
  quality: StreamingQuality = 'auto';
  lastRendition: string | null = null;
  /** The rendition fetched ahead for each master (a few, the latest kept). */
  private readonly warmedFor = new BoundedMap<string, string>(8);

  constructor(readonly bandwidth: BandwidthMemory) {}

  startLevel(masterUrl: string, variants: readonly Pick<Variant, 'rendition' | 'bitrate'>[]): number {
    return startLevel(variants, {
      quality: this.quality,
      warmed: this.warmedFor.get(masterUrl) ?? null,
      lastRendition: this.lastRendition,
      estimateBps: this.bandwidth.estimate(),
      saveData: this.bandwidth.saveData(),
    });
  }

  warmed(masterUrl: string, rendition: string): void {
    this.warmedFor.set(masterUrl, rendition);
  }
}

/**
 * HLS through hls.js on Media Source Extensions, for one media element: the access token
 * on key requests only, retries with back-off for every load, recovery from fatal network
 * and media errors without the listener, and the streaming quality applied (and changed
 * while playing).
 */
export class HlsAttacher implements SourceAttacher {
  private hls: Hls | null = null;
  /** Cancels the recovery waiting for its timer or for the network to return. */
  private cancelPendingRecovery: (() => void) | null = null;
  private networkRecoveries = 0;
  private mediaRecoveries = 0;
  /** The token each key request carried, so a `401` renews exactly that one. */
  private lastToken: string | null = null;

  private readonly playlistLoader: PlaylistLoaderConstructor;

  constructor(
    private readonly deps: HlsAttacherDependencies,
    private readonly choice: RenditionChoice,
  ) {
    this.playlistLoader = primedPlaylistLoader(deps.primed);
  }

  /** Measured on the first segment buffered (see `primingLeftIn`); until then none is assumed. */
  startOffset = 0;

  attach(element: HTMLMediaElement, source: PlaybackSource, startAt: number, fail: (failure: PlaybackFailure) => void): void {
    const hls = new Hls({ ...this.config(), startPosition: startAt });
    this.hls = hls;
    this.startOffset = 0;
    this.networkRecoveries = 0;
    this.mediaRecoveries = 0;
    let measured = false;
    hls.on(Events.MANIFEST_PARSED, () => this.chooseStartLevel(hls, source.url));
    hls.on(Events.FRAG_LOADED, (_, { frag }) => {
      const { loaded, loading } = frag.stats;
      this.choice.bandwidth.sample(loaded, loading.end - loading.start);
    });
    hls.on(Events.LEVEL_SWITCHED, (_, data) => {
      this.choice.lastRendition = this.renditions(hls)[data.level] ?? this.choice.lastRendition;
    });
    hls.on(Events.FRAG_BUFFERED, (_, { frag }) => {
      this.networkRecoveries = 0;
      // Where the playlist ends this segment is where it starts the next (hls.js rewrites a
      // segment's own start and duration from its media timestamps once parsed); the last
      // segment has none, and its end also holds the encoder's padding: not measured there.
      const details = hls.levels[frag.level]?.details;
      const next = details && typeof frag.sn === 'number' ? details.fragments[frag.sn - details.startSN + 1] : undefined;
      if (measured || !next) return;
      measured = true;
      this.startOffset = primingLeftIn(bufferedEndAround(element, frag.start), next.playlistOffset);
      // hls.js started at the track's time; the track's first frame lies that much later.
      const target = startAt + this.startOffset;
      if (this.startOffset > 0 && element.currentTime < target) element.currentTime = target;
    });
    hls.on(Events.ERROR, (_, data) => void this.onError(hls, data, fail));
    hls.loadSource(source.url);
    hls.attachMedia(element);
  }

  detach(element: HTMLMediaElement): void {
    this.cancelRecovery();
    if (!this.hls) return;
    this.hls.destroy();
    this.hls = null;
    element.removeAttribute('src');
    element.load();
  }

  /** The listener's setting; applied at once to the playing track (from its next segment). */
  setQuality(quality: StreamingQuality): void {
    this.choice.quality = quality;
    const hls = this.hls;
    if (!hls || hls.levels.length === 0) return;
    const level = levelForQuality(quality, this.renditions(hls));
    // `nextLevel` switches at the next segment, flushing only what is buffered ahead;
    // back to automatic, the ABR simply takes over from the next load.
    if (level >= 0) hls.nextLevel = level;
    else hls.loadLevel = -1;
  }

  private config(): Partial<HlsConfig> {
    const estimate = this.choice.bandwidth.estimate();
    const retrying = (maxLoadTimeMs: number): { default: LoaderConfig } => ({
      default: {
        maxTimeToFirstByteMs: 10_000,
        // A segment nobody asked for before is encoded on demand: give it time.
        maxLoadTimeMs,
        timeoutRetry: { maxNumRetry: 4, retryDelayMs: 0, maxRetryDelayMs: 0 },
        errorRetry: {
          maxNumRetry: 6,
          retryDelayMs: 500,
          maxRetryDelayMs: 8_000,
          backoff: 'exponential',
          shouldRetry: (retryConfig, retryCount, isTimeout, response) =>
            !!retryConfig && retryCount < retryConfig.maxNumRetry && (isTimeout || this.retryable(response)),
        },
      },
    });
    return {
      // Audio only: a long buffer ahead costs little and rides out a bad network.
      maxBufferLength: 60,
      backBufferLength: 30,
      // hls.js starts its worker from a blob: URL, which our CSP (script-src 'self') refuses;
      // passing fMP4 audio through is light work for the main thread anyway.
      enableWorker: false,
      // The start level is chosen (see `startLevel`): no probe segment before it.
      testBandwidth: false,
      // hls.js's ABR steps up from the link's kept measurement rather than from its 500 kbit/s guess.
      ...(estimate === null ? {} : { abrEwmaDefaultEstimate: estimate }),
      pLoader: this.playlistLoader,
      xhrSetup: authorizeTrackRoutes(this.deps.tokens, this.deps.origin, (token) => {
        this.lastToken = token;
      }),
      manifestLoadPolicy: retrying(20_000),
      playlistLoadPolicy: retrying(20_000),
      keyLoadPolicy: retrying(20_000),
      fragLoadPolicy: retrying(60_000),
    };
  }

  /** A `401` on a key (the token expired early, the server rotated keys) renews the token before the retry. */
  private retryable(response: LoaderResponse | undefined): boolean {
    if (response?.code === 401 && this.lastToken) void this.deps.tokens.renewAfterRejection(this.lastToken).catch(() => undefined);
    return isRetryableLoadStatus(response?.code);
  }

  private renditions(hls: Hls): (string | null)[] {
    return hls.levels.map((level) => renditionOf(level.uri));
  }

  private chooseStartLevel(hls: Hls, masterUrl: string): void {
    const start = this.choice.startLevel(masterUrl, hls.levels.map((level) => ({ rendition: renditionOf(level.uri), bitrate: level.bitrate })));
    hls.startLevel = start;
    if (this.choice.quality !== 'auto') hls.loadLevel = start;
  }

  private async onError(hls: Hls, data: ErrorData, fail: (failure: PlaybackFailure) => void): Promise<void> {
    if (hls !== this.hls) return;
    const status = data.response?.code;
    // A refused key is final at once: hls.js would otherwise try every other rendition first.
    const refusedKey = data.details === ErrorDetails.KEY_LOAD_ERROR && status === 403;
    if (!data.fatal && !refusedKey) return;
    if (data.type === ErrorTypes.NETWORK_ERROR) {
      if (status !== undefined && !isRetryableLoadStatus(status)) {
        this.stopAfter(hls);
        fail(await finalFailure(status, data));
        return;
      }
      if (this.networkRecoveries < NETWORK_RECOVERIES) {
        this.scheduleNetworkRecovery(hls);
        return;
      }
      // The network stayed away: the player asks for the track afresh from where it was, or explains.
      this.stopAfter(hls);
      fail({ reason: 'network' });
      return;
    }
    if (data.type === ErrorTypes.MEDIA_ERROR && this.mediaRecoveries < 2) {
      // hls.js's documented recovery: recover, then swap the audio codec and recover again.
      if (this.mediaRecoveries === 1) hls.swapAudioCodec();
      hls.recoverMediaError();
      this.mediaRecoveries += 1;
      return;
    }
    this.stopAfter(hls);
    fail({ reason: data.type === ErrorTypes.MEDIA_ERROR ? 'decode' : 'unknown' });
  }

  /** Loads again after 1, 2, 4 … seconds, or as soon as the browser is back online. */
  private scheduleNetworkRecovery(hls: Hls): void {
    this.cancelRecovery();
    const delay = FIRST_RECOVERY_DELAY_MS * 2 ** this.networkRecoveries;
    this.networkRecoveries += 1;
    const recover = () => {
      this.cancelRecovery();
      if (hls === this.hls) hls.startLoad(-1);
    };
    const timer = this.deps.setTimer(recover, delay);
    addEventListener('online', recover);
    this.cancelPendingRecovery = () => {
      this.deps.clearTimer(timer);
      removeEventListener('online', recover);
    };
  }

  private cancelRecovery(): void {
    this.cancelPendingRecovery?.();
    this.cancelPendingRecovery = null;
  }

  private stopAfter(hls: Hls): void {
    this.cancelRecovery();
    hls.stopLoad();
  }
}

/**
 * hls.js's `xhrSetup`: the access token (refreshed ahead of expiry by the session) on the
 * requests that need it, and on no other (see `needsAuthorization`).
 */
export function authorizeTrackRoutes(
  tokens: Pick<TokenSource, 'accessToken'>,
  origin: string,
  sent: (token: string) => void,
): (xhr: Pick<XMLHttpRequest, 'setRequestHeader'>, url: string) => Promise<void> {
  return async (xhr, url) => {
    if (!needsAuthorization(url, origin)) return;
    const token = await tokens.accessToken();
    sent(token);
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
  };
}

/** The end of the first buffered range that ends after `time`: the first segment buffered, from its start. */
function bufferedEndAround(element: HTMLMediaElement, time: number): number {
  const ranges = element.buffered;
  for (let index = 0; index < ranges.length; index++) {
    if (ranges.end(index) > time + 0.001) return ranges.end(index);
  }
  return time;
}

/**
 * What a final answer to a playlist, key or segment request means for the player: `403`
 * a refusal in the server's words (the tier, a premium-only release), `404` a track whose
 * files changed (the player asks for it afresh), `422` a source that cannot be transcoded.
 */
export async function finalFailure(status: number, data: ErrorData): Promise<PlaybackFailure> {
  if (status === 403) return { reason: 'refused', message: await refusalMessage(data) };
  if (status === 404) return { reason: 'network' };
  if (status === 422) return { reason: 'decode' };
  return { reason: 'unknown' };
}

/** The server's own sentence for a refusal (its JSON error body), as for any API refusal. */
async function refusalMessage(data: ErrorData): Promise<string> {
  // hls.js's loader hands over its XMLHttpRequest, whose body is text or an ArrayBuffer.
  const details: unknown = data.networkDetails;
  const body: unknown = typeof details === 'object' && details !== null && 'response' in details ? details.response : null;
  if (typeof body === 'string' || body instanceof ArrayBuffer) return (await errorFromResponse(new Response(body, { status: 403 }))).message;
  return 'This needs a Premium account.';
}
