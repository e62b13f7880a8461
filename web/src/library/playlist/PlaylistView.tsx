import { useMemo, useState } from 'preact/hooks';
import { useServices } from '../../app/services-context';
import { ApiError } from '../../shared/api/errors';
import type { PlaylistDetail } from '../../shared/api/tonearm';
import { formatLength, plural } from '../../shared/format';
import { AsyncView } from '../../shared/ui/AsyncView';
import { BackBar } from '../../shared/ui/BackBar';
import { Icon } from '../../shared/ui/icons';
import { NameDialog } from '../../shared/ui/NameDialog';
import { Sheet } from '../../shared/ui/Sheet';
import { useAsync } from '../../shared/ui/useAsync';
import { useObservable } from '../../shared/useObservable';
import { PlayButtons } from '../PlayButtons';
import { RadioButton } from '../RadioButton';
import { PlaylistCover } from '../../shared/ui/PlaylistCover';
import { DragHandle, dragLook, useDragToReorder } from './drag-to-reorder';
import { PlaylistEditor } from './playlist-editor';
import { TrackRow } from '../tracks/TrackRow';

/** A playlist: play or shuffle it; its owner renames, deletes, removes and reorders by drag. */
export function PlaylistView({ id }: { id: number }) {
  const { api, notices, playlists } = useServices();
  const editor = useMemo(() => new PlaylistEditor(id, api, notices, () => playlists.changed()), [id]);
  const [loaded, retry] = useAsync((signal) => editor.load(signal), id);
  const [account] = useAsync((signal) => api.me(signal), 'me');
  const detail = useObservable(editor.detail);
  const owned = account.status === 'ready' && detail?.owner.id === account.value.id;
  return (
    <main class="page">
      <BackBar />
      <AsyncView state={loaded} retry={retry}>
        {() => detail && <Playlist detail={detail} editor={editor} owned={owned} />}
      </AsyncView>
    </main>
  );
}

function Playlist({ detail, editor, owned }: { detail: PlaylistDetail; editor: PlaylistEditor; owned: boolean }) {
  const [dialog, setDialog] = useState<'menu' | 'rename' | 'delete' | null>(null);
  const { api, notices, player, playlists, router } = useServices();
  const queue = useObservable(player.queue);
  const playingId = queue.entries[queue.current]?.track.id;
  const tracks = detail.entries.map((entry) => entry.track);
  const context = { kind: 'playlist' as const, id: String(detail.id) };
  const origin = { context, from: detail.name };
  const duration = tracks.reduce((sum, track) => sum + track.duration_ms, 0);
  const drag = useDragToReorder(detail.entries.length, (from, to) => void editor.move(from, to));
  const remove = async () => {
    try {
      await api.deletePlaylist(detail.id);
      playlists.changed();
      notices.show(`Deleted “${detail.name}”.`);
      router.navigate('/library', { replace: true });
    } catch (error) {
      notices.show(error instanceof ApiError ? error.message : 'The playlist could not be deleted.');
    }
  };
  return (
    <>
      <header class="detail-header">
        <PlaylistCover playlist={detail} size={640} className="detail-cover" />
        <div class="detail-text">
          <h1>{detail.name}</h1>
          <p class="detail-meta">
            {detail.owner.username} · {plural(detail.track_count, 'song')}
            {duration > 0 && `, ${formatLength(duration)}`}
          </p>
          <PlayButtons
            label={detail.name}
            context={context}
            first={tracks[0]}
            disabled={tracks.length === 0}
            onPlay={() => player.playTracks(tracks, 0, origin)}
            onShuffle={() => player.playTracks(tracks, -1, { shuffle: true, ...origin })}
          >
            <RadioButton seed={`playlist:${detail.id}`} name={detail.name} disabled={tracks.length === 0} />
            {owned && (
              <button type="button" class="icon-button" aria-label={`More options for ${detail.name}`} aria-haspopup="dialog" onClick={() => setDialog('menu')}>
                <Icon name="more" />
              </button>
            )}
          </PlayButtons>
        </div>
      </header>
      {tracks.length === 0 ? (
        <p class="empty">This playlist is empty. Add songs from a track's ⋮ menu: “Add to playlist”.</p>
      ) : (
        <>
          {owned && (
            <p id="reorder-hint" class="visually-hidden">
              Drag the handle to move a song; or focus it and press the up or down arrow.
            </p>
          )}
          <ol class="track-list" aria-label={`Songs of ${detail.name}`}>
            {detail.entries.map((entry, index) => (
              <TrackRow
                key={entry.entry_id}
                track={entry.track}
                position={null}
                showAlbum
                playing={entry.track.id === playingId}
                origin={origin}
                onPlay={() => player.playTracks(tracks, index, origin)}
                extraActions={owned ? [{ label: 'Remove from this playlist', run: () => void editor.remove(entry.entry_id) }] : []}
                leading={owned && <DragHandle index={index} count={detail.entries.length} title={entry.track.title} drag={drag} />}
                {...dragLook(drag.active, index)}
              />
            ))}
          </ol>
        </>
      )}
      {dialog === 'menu' && (
        <Sheet title={detail.name} onClose={() => setDialog(null)}>
          <button type="button" class="sheet-row" onClick={() => setDialog('rename')}>
            <span class="sheet-icon">
              <Icon name="edit" />
            </span>
            Rename
          </button>
          <button type="button" class="sheet-row" onClick={() => setDialog('delete')}>
            <span class="sheet-icon">
              <Icon name="delete" />
            </span>
            Delete playlist
          </button>
        </Sheet>
      )}
      {dialog === 'rename' && (
        <NameDialog
          title="Rename playlist"
          initial={detail.name}
          action="Save"
          onClose={() => setDialog(null)}
          onSubmit={(name) => {
            setDialog(null);
            if (name !== detail.name) void editor.rename(name);
          }}
        />
      )}
      {dialog === 'delete' && (
        <Sheet title={`Delete “${detail.name}”?`} onClose={() => setDialog(null)}>
          <p class="hint">The playlist and its order are gone for good; the songs stay in your library.</p>
          <div class="sheet-actions">
            <button type="button" class="button secondary" onClick={() => setDialog(null)}>
              Cancel
            </button>
            <button type="button" class="button danger" onClick={() => void remove()}>
              Delete
            </button>
          </div>
        </Sheet>
      )}
    </>
  );
}
