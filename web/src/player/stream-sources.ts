import type { TonearmApi } from '../shared/api/tonearm';
import type { PlaybackSource } from './audio-engine';
import type { PlaybackPath } from './hls-rules';

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
  ) {}

  async source(trackId: number, options: { skip?: boolean } = {}): Promise<PlaybackSource> {
    const prefetched = this.prefetched;
    this.prefetched = null;
    // A skip must reach the server (it counts); a track that follows on its own need not.
    if (prefetched?.trackId === trackId && !options.skip) return prefetched.source;
    return this.ask(trackId, options);
  }

  /**
   * Shortly before a track ends: the next one's source, which the engine buffers so that
   * the change of track has no gap. Best effort: `null` on a refusal or a failure, which
   * the track's own start asks again about, and explains.
   */
  async prefetch(trackId: number): Promise<PlaybackSource | null> {
    try {
      const source = await this.ask(trackId, {});
      this.prefetched = { trackId, source };
      return source;
    } catch {
      return null;
    }
  }

  private async ask(trackId: number, options: { skip?: boolean }): Promise<PlaybackSource> {
    if (this.path === 'progressive') return { kind: 'progressive', url: (await this.api.streamUrl(trackId, options)).url };
    return { kind: 'hls', url: await this.api.hlsMaster(trackId, options) };
  }
}
