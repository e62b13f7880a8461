import type { TonearmApi } from '../shared/api/tonearm';
import type { PlaybackSource } from './audio-engine';
import type { PlaybackPath } from './hls-rules';

/** Warms the browser's cache with what playing a master playlist starts with. */
export type Prefetch = (masterUrl: string) => Promise<void>;

/**
 * What the player plays for a track: the HLS master of the listener's tier where hls.js
 * runs, else a signed link to the original. Asking is also how the server counts a skip
 * (`skip`) and refuses what the tier may not play, so every track start goes through here.
 */
export class StreamSources {
  /** The next track's source, resolved ahead by `prefetch`; used once, by a start that is not a skip. */
  private prefetched: { trackId: number; source: PlaybackSource } | null = null;

  constructor(
    private readonly api: Pick<TonearmApi, 'streamUrl' | 'hlsMaster'>,
    private readonly path: PlaybackPath,
    private readonly warm: Prefetch | null = null,
  ) {}

  async source(trackId: number, options: { skip?: boolean } = {}): Promise<PlaybackSource> {
    if (this.path === 'progressive') return { kind: 'progressive', url: (await this.api.streamUrl(trackId, options)).url };
    const prefetched = this.prefetched;
    this.prefetched = null;
    // A skip must reach the server (it counts); a track that follows on its own need not.
    if (prefetched?.trackId === trackId && !options.skip) return prefetched.source;
    return { kind: 'hls', url: await this.api.hlsMaster(trackId, options) };
  }

  /**
   * Shortly before a track ends: the next one's master, media playlist and first segments
   * into the browser's cache (they are immutable), so the change of track waits for no
   * request but the key. Best effort: a refusal or a failure shows when the track starts.
   */
  async prefetch(trackId: number): Promise<void> {
    if (this.path === 'progressive' || !this.warm || this.prefetched?.trackId === trackId) return;
    try {
      const source: PlaybackSource = { kind: 'hls', url: await this.api.hlsMaster(trackId) };
      this.prefetched = { trackId, source };
      await this.warm(source.url);
    } catch {
      // The track's own start asks again, and explains what fails then.
    }
  }
}
