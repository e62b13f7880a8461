import { useEffect, useRef, useState } from 'preact/hooks';
import { services } from '../app/services';
import type { TrackSummary } from '../shared/api/tonearm';
import { formatDuration } from '../shared/format';
import { Icon } from '../shared/ui/icons';

/** One track: tap to play it in its list; the ⋮ menu queues it or goes to its album or artist. */
export function TrackRow({ track, position, showAlbum, onPlay, playing }: { track: TrackSummary; position: number | null; showAlbum: boolean; onPlay: () => void; playing: boolean }) {
  const [menuOpen, setMenuOpen] = useState(false);
  const row = useRef<HTMLLIElement>(null);
  // A tap anywhere else closes the menu, as on every phone.
  useEffect(() => {
    if (!menuOpen) return;
    const closeIfOutside = (event: PointerEvent) => {
      if (!row.current?.contains(event.target as Node)) setMenuOpen(false);
    };
    document.addEventListener('pointerdown', closeIfOutside);
    return () => document.removeEventListener('pointerdown', closeIfOutside);
  }, [menuOpen]);
  const artists = track.artists.map((artist) => artist.name).join(', ');
  const act = (action: () => void) => () => {
    setMenuOpen(false);
    action();
  };
  return (
    <li ref={row} class={`track-row ${playing ? 'is-playing' : ''}`}>
      <button type="button" class="track-main" onClick={onPlay} aria-label={`Play ${track.title} by ${artists}`}>
        {position !== null && <span class="track-number">{position}</span>}
        <span class="track-text">
          <span class="track-title">{track.title}</span>
          <span class="track-subtitle">{showAlbum ? `${artists} · ${track.album.title}` : artists}</span>
        </span>
        <span class="track-duration">{formatDuration(track.duration_ms / 1000)}</span>
      </button>
      <button type="button" class="icon-button" aria-label={`More options for ${track.title}`} aria-expanded={menuOpen} onClick={() => setMenuOpen(!menuOpen)}>
        <Icon name="more" />
      </button>
      {menuOpen && (
        <div class="menu" role="menu" onKeyDown={(event) => event.key === 'Escape' && setMenuOpen(false)}>
          <button type="button" role="menuitem" onClick={act(() => { services.player.playNext([track]); services.notices.show(`“${track.title}” plays next.`); })}>
            Play next
          </button>
          <button type="button" role="menuitem" onClick={act(() => { services.player.addToQueue([track]); services.notices.show(`Added “${track.title}” to the queue.`); })}>
            Add to queue
          </button>
          <a role="menuitem" href={`/album/${track.album.id}`} onClick={() => setMenuOpen(false)}>
            Go to album
          </a>
          <a role="menuitem" href={`/artist/${track.album_artist.id}`} onClick={() => setMenuOpen(false)}>
            Go to artist
          </a>
        </div>
      )}
    </li>
  );
}
