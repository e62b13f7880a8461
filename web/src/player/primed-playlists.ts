/** How many playlists are kept: a few tracks' masters and media playlists. */
const KEPT = 32;

/**
 * Playlist texts the app already has (a master read while its entry was asked for, a media
 * playlist fetched ahead), by absolute URL, so hls.js is handed them instead of fetching
 * them again: one round trip less each, which on a 400 ms link is most of a start.
 */
export class PrimedPlaylists {
  private readonly texts = new Map<string, string>();

  set(url: string, text: string): void {
    this.texts.delete(url);
    this.texts.set(url, text);
    // Maps iterate in insertion order: the first key is the oldest.
    if (this.texts.size > KEPT) this.texts.delete(this.texts.keys().next().value!);
  }

  get(url: string): string | undefined {
    return this.texts.get(url);
  }
}
