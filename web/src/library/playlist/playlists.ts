import { ApiError } from '../../shared/api/errors';
import type { PlaylistSummary, TonearmApi, TrackSummary } from '../../shared/api/tonearm';
import type { Notices } from '../../shared/notices';
import { Observable } from '../../shared/observable';

/** The listener's playlists as a whole: making one, adding a track to one, and knowing when they changed. */
export class Playlists {
  /** Bumped by every change to the listener's playlists, so lists of them load again. */
  readonly revision = new Observable(0);

  constructor(
    private readonly api: Pick<TonearmApi, 'me' | 'myPlaylists' | 'createPlaylist' | 'addToPlaylist' | 'playlist'>,
    private readonly notices: Notices,
  ) {}

  changed(): void {
    this.revision.update((count) => count + 1);
  }

  /** Playlists the listener owns (those followed are in the library too, but cannot take tracks). */
  async own(signal?: AbortSignal): Promise<PlaylistSummary[]> {
    const [account, playlists] = await Promise.all([this.api.me(signal), this.api.myPlaylists(signal)]);
    return playlists.filter((playlist) => playlist.owner.id === account.id);
  }

  async create(name: string): Promise<PlaylistSummary | null> {
    try {
      const { value } = await this.api.createPlaylist(name);
      this.changed();
      return value;
    } catch (error) {
      this.notices.show(error instanceof ApiError ? error.message : 'The playlist could not be created.');
      return null;
    }
  }

  /** Whether the playlist holds the track already; when that cannot be known, it is taken as not (adding twice is undone easily). */
  async contains(playlist: PlaylistSummary, track: TrackSummary): Promise<boolean> {
    try {
      const { value } = await this.api.playlist(playlist.id);
      return value.entries.some((entry) => entry.track.id === track.id);
    } catch {
      return false;
    }
  }

  async add(playlist: PlaylistSummary, track: TrackSummary): Promise<void> {
    try {
      await this.api.addToPlaylist(playlist.id, [track.id]);
      this.changed();
      this.notices.show(`Added “${track.title}” to ${playlist.name}.`);
    } catch (error) {
      this.notices.show(error instanceof ApiError ? error.message : 'The track could not be added.', {
        label: 'Retry',
        run: () => void this.add(playlist, track),
      });
    }
  }
}

/** "My Playlist #3": the first free number, as Spotify names a new playlist. */
export function newPlaylistName(existing: PlaylistSummary[]): string {
  const taken = new Set(existing.map((playlist) => playlist.name));
  for (let number = existing.length + 1; ; number++) {
    const name = `My Playlist #${number}`;
    if (!taken.has(name)) return name;
  }
}
