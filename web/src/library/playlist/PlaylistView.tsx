import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
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
import { PlaylistArt } from '../../shared/ui/PlaylistArt';
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
        <PlaylistArt name={detail.name} className="detail-cover" />
        <div class="detail-text">
          <h1>{detail.name}</h1>
          <p class="detail-meta">
            {detail.owner.username} · {plural(detail.track_count, 'song')}
            {duration > 0 && `, ${formatLength(duration)}`}
          </p>
          <PlayButtons
            label={detail.name}
            disabled={tracks.length === 0}
            onPlay={() => player.playTracks(tracks, 0, { context })}
            onShuffle={() => player.playTracks(tracks, -1, { shuffle: true, context })}
          >
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
                context={context}
                onPlay={() => player.playTracks(tracks, index, { context })}
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

interface Drag {
  /** The entry being dragged, and the place it would drop at now. */
  active: { from: number; to: number; offset: number } | null;
  start: (index: number, event: PointerEvent) => void;
  move: (event: PointerEvent) => void;
  end: () => void;
  step: (index: number, by: number) => void;
}

/**
 * Drag to reorder with pointer events (touch, pen and mouse alike): the row follows the
 * finger, the drop place is the row it is over, and the move is made on release. Arrow
 * keys do the same one step at a time.
 */
function useDragToReorder(count: number, onMove: (from: number, to: number) => void): Drag {
  const [active, setActive] = useState<Drag['active']>(null);
  const origin = useRef({ y: 0, rowHeight: 56 });
  const latest = useRef(active);
  latest.current = active;
  useEffect(() => setActive(null), [count]);
  return {
    active,
    start(index, event) {
      const row = (event.currentTarget as HTMLElement).closest('li');
      origin.current = { y: event.clientY, rowHeight: row?.getBoundingClientRect().height || 56 };
      (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
      setActive({ from: index, to: index, offset: 0 });
    },
    move(event) {
      const drag = latest.current;
      if (!drag) return;
      const offset = event.clientY - origin.current.y;
      const to = Math.min(count - 1, Math.max(0, drag.from + Math.round(offset / origin.current.rowHeight)));
      setActive({ ...drag, to, offset });
    },
    end() {
      const drag = latest.current;
      setActive(null);
      if (drag && drag.to !== drag.from) onMove(drag.from, drag.to);
    },
    step(index, by) {
      const to = index + by;
      if (to >= 0 && to < count) onMove(index, to);
    },
  };
}

/** The dragged row follows the finger; the row it would land on shows a line where it goes. */
function dragLook(active: Drag['active'], index: number): { rowClass?: string; rowStyle?: Record<string, string> } {
  if (!active) return {};
  if (active.from === index) return { rowClass: 'is-dragging', rowStyle: { transform: `translateY(${active.offset}px)` } };
  if (active.to === index) return { rowClass: active.to > active.from ? 'drop-below' : 'drop-above' };
  return {};
}

function DragHandle({ index, count, title, drag }: { index: number; count: number; title: string; drag: Drag }) {
  return (
    <button
      type="button"
      class="icon-button drag-handle"
      aria-label={`Move ${title}, song ${index + 1} of ${count}`}
      aria-describedby="reorder-hint"
      onPointerDown={(event) => drag.start(index, event)}
      onPointerMove={(event) => drag.move(event)}
      onPointerUp={() => drag.end()}
      onPointerCancel={() => drag.end()}
      onKeyDown={(event) => {
        if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
        event.preventDefault();
        drag.step(index, event.key === 'ArrowUp' ? -1 : 1);
      }}
    >
      <Icon name="drag" />
    </button>
  );
}
