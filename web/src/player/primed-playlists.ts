import { BoundedMap } from '../shared/bounded-map';

/** How many playlists are kept: a few tracks' masters and media playlists. */
const KEPT = 32;

/**
 * Playlist texts the app already has (a master read while its entry was asked for, a media
 * playlist fetched ahead), by absolute URL, so hls.js is handed them instead of fetching
 * them again: one round trip less each, which on a 400 ms link is most of a start.
 */
export class PrimedPlaylists extends BoundedMap<string, string> {
  constructor() {
    super(KEPT);
  }
}
