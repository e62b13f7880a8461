import { services } from '../../app/services';
import { ApiError } from '../../shared/api/errors';
import type { PlaylistSummary, TrackSummary } from '../../shared/api/tonearm';
import { Observable } from '../../shared/observable';

/** Bumped by every change to the listener's playlists, so lists of them load again. */
export const playlistsRevision = new Observable(0);

export function playlistsChanged(): void {
  playlistsRevision.update((count) => count + 1);
}

/** Playlists the listener owns (those followed are in the library too, but cannot take tracks). */
export async function ownPlaylists(signal?: AbortSignal): Promise<PlaylistSummary[]> {
  const [account, playlists] = await Promise.all([services.api.me(signal), services.api.myPlaylists(signal)]);
  return playlists.filter((playlist) => playlist.owner.id === account.id);
}

/** "My Playlist #3": the first free number, as Spotify names a new playlist. */
export function newPlaylistName(existing: PlaylistSummary[]): string {
  const taken = new Set(existing.map((playlist) => playlist.name));
  for (let number = existing.length + 1; ; number++) {
    const name = `My Playlist #${number}`;
    if (!taken.has(name)) return name;
  }
}

export async function createPlaylist(name: string): Promise<PlaylistSummary | null> {
  try {
    const { value } = await services.api.createPlaylist(name);
    playlistsChanged();
    return value;
  } catch (error) {
    services.notices.show(error instanceof ApiError ? error.message : 'The playlist could not be created.');
    return null;
  }
}

export async function addToPlaylist(playlist: PlaylistSummary, track: TrackSummary): Promise<void> {
  try {
    await services.api.addToPlaylist(playlist.id, [track.id]);
    playlistsChanged();
    services.notices.show(`Added “${track.title}” to ${playlist.name}.`);
  } catch (error) {
    services.notices.show(error instanceof ApiError ? error.message : 'The track could not be added.', {
      label: 'Retry',
      run: () => void addToPlaylist(playlist, track),
    });
  }
}
