import type { TonearmApi } from '../shared/api/tonearm';
import { BoundedMap } from '../shared/bounded-map';
import type { PlaybackSource } from './audio-engine';
import type { PlaybackPath } from './hls-rules';
import { PrimedPlaylists } from './primed-playlists';

/** A source resolved ahead is used within this long, or asked for again (signed links expire in an hour). */
const PREFETCH_KEPT_MS = 10 * 60_000;
/** Sources resolved ahead are kept for this many tracks (the next one, the screens visited last). */
const PREFETCH_KEPT_TRACKS = 16;

/** Fetches, ahead of a start, what hls.js will need of a master: playlists, and maybe the first segment. */
export type WarmFiles = (masterUrl: string, options: { firstSegment: boolean }) => Promise<void>;

/**
 * What the player plays for a track: the HLS master of the listener's tier where hls.js
 * runs, else a signed link to the original. Asking is also how the server counts a skip
 * (`skip`) and refuses what the tier may not play, so every track start goes through here.
 * Sources resolved ahead (`prefetch`, `warm`) start a track without that round trip, once.
 */
export class StreamSources {
  /** Sources resolved ahead (or being resolved), by track; each used once, by a start that is not a skip. */
  private readonly prefetched = new BoundedMap<number, { source: Promise<PlaybackSource | null>; at: number }>(PREFETCH_KEPT_TRACKS);

  constructor(
    private readonly api: Pick<TonearmApi, 'streamUrl' | 'hlsMaster'>,
    private readonly path: PlaybackPath,
    private readonly primed = new PrimedPlaylists(),
    private readonly warmFiles: WarmFiles = async () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  async source(trackId: number, options: { skip?: boolean } = {}): Promise<PlaybackSource> {
    const prefetched = this.prefetched.get(trackId);
    this.prefetched.delete(trackId);
    // A skip must reach the server (it counts); a track that follows on its own need not.
    let source: PlaybackSource | null = null;
    if (prefetched && !options.skip && this.now() - prefetched.at < PREFETCH_KEPT_MS) {
      // Joins a resolution under way: a tap while a screen warms its first track waits for that one.
      source = await prefetched.source;
    }
    source ??= await this.ask(trackId, options);
    // What hls.js will ask for first, asked for now, beside its own playlist request.
    if (source.kind === 'hls') void this.warmFiles(source.url, { firstSegment: true }).catch(() => undefined);
    return source;
  }

  /**
   * The track's source, resolved ahead so that its start needs no round trip. Best effort:
   * `null` on a refusal or a failure, which the track's own start asks again about, and explains.
   */
  prefetch(trackId: number): Promise<PlaybackSource | null> {
    const known = this.prefetched.get(trackId);
    if (known && this.now() - known.at < PREFETCH_KEPT_MS) return known.source;
    const source = this.ask(trackId, {}).catch(() => null);
    this.prefetched.set(trackId, { source, at: this.now() });
    return source;
  }

  /**
   * Prepares a start that may come: the source, then (HLS) the start rendition's playlist,
   * and with `firstSegment` its init and first segment too, into the browser's cache.
   */
  async warm(trackId: number, options: { firstSegment: boolean }): Promise<void> {
    const source = await this.prefetch(trackId);
    if (source?.kind === 'hls') await this.warmFiles(source.url, options).catch(() => undefined);
  }

  private async ask(trackId: number, options: { skip?: boolean }): Promise<PlaybackSource> {
    if (this.path === 'progressive') return { kind: 'progressive', url: (await this.api.streamUrl(trackId, options)).url };
    const master = await this.api.hlsMaster(trackId, options);
    this.primed.set(master.url, master.text);
    return { kind: 'hls', url: master.url };
  }
}
