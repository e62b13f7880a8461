import { useState } from 'preact/hooks';
import type { PlaylistSummary, TrackSummary } from '../../shared/api/tonearm';
import { plural } from '../../shared/format';
import { AsyncView } from '../../shared/ui/AsyncView';
import { Icon } from '../../shared/ui/icons';
import { NameDialog } from '../../shared/ui/NameDialog';
import { Sheet } from '../../shared/ui/Sheet';
import { useAsync } from '../../shared/ui/useAsync';
import { PlaylistCover } from '../../shared/ui/PlaylistCover';
import { useServices } from '../../app/services-context';
import { newPlaylistName } from './playlists';

/**
 * Chooses one of the listener's playlists for a track, or makes a new one with it. A
 * playlist that has the track already asks first, as Spotify does.
 */
export function AddToPlaylistSheet({ track, onClose }: { track: TrackSummary; onClose: () => void }) {
  const { playlists } = useServices();
  const [owned, retry] = useAsync((signal) => playlists.own(signal), track.id);
  const [naming, setNaming] = useState(false);
  const [alreadyIn, setAlreadyIn] = useState<PlaylistSummary | null>(null);
  const choose = async (playlist: PlaylistSummary) => {
    if (await playlists.contains(playlist, track)) {
      setAlreadyIn(playlist);
      return;
    }
    onClose();
    void playlists.add(playlist, track);
  };
  if (alreadyIn) {
    return (
      <Sheet title="Already added" onClose={onClose}>
        <p class="sheet-text">“{track.title}” is already in {alreadyIn.name}.</p>
        <div class="sheet-actions">
          <button type="button" class="button secondary" onClick={onClose}>
            Don't add
          </button>
          <button
            type="button"
            class="button primary"
            onClick={() => {
              onClose();
              void playlists.add(alreadyIn, track);
            }}
          >
            Add anyway
          </button>
        </div>
      </Sheet>
    );
  }
  if (naming) {
    const existing = owned.status === 'ready' ? owned.value : [];
    return (
      <NameDialog
        title="Give your playlist a name"
        initial={newPlaylistName(existing)}
        action="Create"
        onClose={onClose}
        onSubmit={async (name) => {
          onClose();
          const created = await playlists.create(name);
          if (created) await playlists.add(created, track);
        }}
      />
    );
  }
  return (
    <Sheet title={`Add “${track.title}” to a playlist`} onClose={onClose}>
      <button type="button" class="sheet-row" onClick={() => setNaming(true)}>
        <span class="sheet-icon">
          <Icon name="plus" />
        </span>
        New playlist
      </button>
      <AsyncView state={owned} retry={retry}>
        {(items) => (
          <ul class="sheet-list">
            {items.map((playlist) => (
              <li key={playlist.id}>
                <button
                  type="button"
                  class="sheet-row"
                  onClick={() => void choose(playlist)}
                >
                  <PlaylistCover playlist={playlist} size={64} className="sheet-art" />
                  <span class="track-text">
                    <span class="track-title">{playlist.name}</span>
                    <span class="track-subtitle">{plural(playlist.track_count, 'track')}</span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </AsyncView>
      <button type="button" class="button secondary wide" onClick={onClose}>
        Cancel
      </button>
    </Sheet>
  );
}
