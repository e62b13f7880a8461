import { useState } from 'preact/hooks';
import type { TrackSummary } from '../../shared/api/tonearm';
import { plural } from '../../shared/format';
import { AsyncView } from '../../shared/ui/AsyncView';
import { Icon } from '../../shared/ui/icons';
import { NameDialog } from '../../shared/ui/NameDialog';
import { Sheet } from '../../shared/ui/Sheet';
import { useAsync } from '../../shared/ui/useAsync';
import { PlaylistCover } from '../../shared/ui/PlaylistCover';
import { useServices } from '../../app/services-context';
import { newPlaylistName } from './playlists';

/** Chooses one of the listener's playlists for a track, or makes a new one with it. */
export function AddToPlaylistSheet({ track, onClose }: { track: TrackSummary; onClose: () => void }) {
  const { playlists } = useServices();
  const [owned, retry] = useAsync((signal) => playlists.own(signal), track.id);
  const [naming, setNaming] = useState(false);
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
                  onClick={() => {
                    onClose();
                    void playlists.add(playlist, track);
                  }}
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
