import Hls, { LoadStats, type HlsConfig, type Loader, type LoaderCallbacks, type LoaderConfiguration, type LoaderStats, type PlaylistLoaderConstructor, type PlaylistLoaderContext } from 'hls.js/dist/hls.light.min.mjs';
import type { PrimedPlaylists } from './primed-playlists';

/**
 * hls.js's playlist loader (`pLoader`), answering from the playlists the app already has
 * (`PrimedPlaylists`: the master read with the entry's redirect, a media playlist fetched
 * ahead) and going to the network, through hls.js's own loader, for the rest.
 */
export function primedPlaylistLoader(primed: PrimedPlaylists): PlaylistLoaderConstructor {
  const NetworkLoader = Hls.DefaultConfig.loader;
  return class PrimedPlaylistLoader implements Loader<PlaylistLoaderContext> {
    private readonly network: Loader<PlaylistLoaderContext>;
    private answered: { context: PlaylistLoaderContext; stats: LoaderStats } | null = null;
    private pending: ReturnType<typeof setTimeout> | null = null;

    constructor(config: HlsConfig) {
      this.network = new NetworkLoader(config) as Loader<PlaylistLoaderContext>;
    }

    get context(): PlaylistLoaderContext | null {
      return this.answered?.context ?? this.network.context;
    }

    get stats(): LoaderStats {
      return this.answered?.stats ?? this.network.stats;
    }

    load(context: PlaylistLoaderContext, config: LoaderConfiguration, callbacks: LoaderCallbacks<PlaylistLoaderContext>): void {
      const text = primed.get(context.url);
      if (text === undefined) {
        this.answered = null;
        this.network.load(context, config, callbacks);
        return;
      }
      const stats = new LoadStats();
      const now = performance.now();
      stats.loading = { start: now, first: now, end: now };
      stats.loaded = stats.total = text.length;
      this.answered = { context, stats };
      // Later, as an answer from the network would come: hls.js sets up its handlers after load().
      this.pending = setTimeout(() => {
        this.pending = null;
        callbacks.onSuccess({ url: context.url, data: text, code: 200 }, stats, context, null);
      }, 0);
    }

    abort(): void {
      if (this.pending !== null) clearTimeout(this.pending);
      this.pending = null;
      this.network.abort();
    }

    destroy(): void {
      this.abort();
      this.network.destroy();
    }
  };
}
