import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useServices } from '../../app/services-context';
import type { PlayOrigin } from '../../player/player';
import { startRadio } from '../../player/start-radio';
import type { TrackSummary } from '../../shared/api/tonearm';
import { formatDuration } from '../../shared/format';
import { Cover } from '../../shared/ui/Cover';
import { Icon } from '../../shared/ui/icons';
import { useObservable } from '../../shared/useObservable';
import { PremiumMark } from '../../settings/PremiumMark';
import { AddToPlaylistSheet } from '../playlist/AddToPlaylistSheet';

export interface ExtraAction {
  label: string;
  run: () => void;
}

export interface TrackRowProps {
  track: TrackSummary;
  /** The track number shown at the start; `null` shows the cover instead. */
  position: number | null;
  showAlbum: boolean;
  onPlay: () => void;
  playing: boolean;
  /** Where the list is (for the queue's "Playing from"). */
  origin: PlayOrigin;
  /** Actions that belong to the list (e.g. "Remove from this playlist"), first in the menu. */
  extraActions?: ExtraAction[];
  /** A line under the artists: why the track is recommended. */
  note?: string;
  /** Something before the text (a drag handle). */
  leading?: ComponentChildren;
  /** While being dragged: where the row is drawn, and how. */
  rowClass?: string;
  rowStyle?: Record<string, string>;
}

/**
 * One track: tap to play it in its list; the ⋮ menu adds it to a playlist or the queue,
 * likes it, or goes to its album or artist.
 */
export function TrackRow({ track, position, showAlbum, onPlay, playing, origin, note, extraActions = [], leading, rowClass = '', rowStyle }: TrackRowProps) {
  const [menuOpen, setMenuOpen] = useState(false);
  /** On wide screens the menu drops from its button, or rises when the row is low on screen. */
  const [menuUpward, setMenuUpward] = useState(false);
  const [choosingPlaylist, setChoosingPlaylist] = useState(false);
  const services = useServices();
  const { likes, notices, player } = services;
  const liked = useObservable(likes.liked).tracks.has(track.id);
  const row = useRef<HTMLLIElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  // A tap anywhere else closes the menu, as on every phone; opening it focuses its first item.
  useEffect(() => {
    if (!menuOpen) return;
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
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
  const moveFocus = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      setMenuOpen(false);
      row.current?.querySelector<HTMLElement>('.track-more')?.focus();
      return;
    }
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const items = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = items.indexOf(document.activeElement as HTMLElement);
    items[(at + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
  };
  return (
    <li ref={row} class={`track-row ${playing ? 'is-playing' : ''} ${rowClass}`} style={rowStyle}>
      {leading}
      <button type="button" class="track-main" onClick={onPlay} aria-label={`Play ${track.title} by ${artists}`}>
        {position !== null ? <span class="track-number">{position}</span> : <Cover coverId={track.cover_id} size={64} className="track-cover" />}
        <span class="track-text">
          <span class="track-title">{track.title}</span>
          <span class="track-subtitle">
            {liked && (
              <span class="liked-mark">
                <Icon name="heartFilled" size={12} />
                <span class="visually-hidden">Liked, </span>
              </span>
            )}
            <PremiumMark premiumOnly={track.premium_only} />
            {showAlbum ? `${artists} · ${track.album.title}` : artists}
          </span>
          {note && <span class="track-note">{note}</span>}
        </span>
        <span class="track-duration">{formatDuration(track.duration_ms / 1000)}</span>
      </button>
      <button type="button" class="icon-button track-more" aria-label={`More options for ${track.title}`} aria-haspopup="menu" aria-expanded={menuOpen} onClick={() => {
        setMenuUpward((row.current?.getBoundingClientRect().bottom ?? 0) > innerHeight / 2);
        setMenuOpen(!menuOpen);
      }}>
        <Icon name="more" />
      </button>
      {menuOpen && <div class="menu-backdrop" aria-hidden="true" onClick={() => setMenuOpen(false)} />}
      {menuOpen && (
        // On phones a sheet from the bottom, above the mini-player, as Spotify shows it.
        <div ref={menu} class={`menu ${menuUpward ? 'menu-upward' : ''}`} role="menu" aria-label={track.title} onKeyDown={moveFocus}>
          <div class="menu-heading" aria-hidden="true">
            <Cover coverId={track.cover_id} size={64} className="track-cover" />
            <span class="track-text">
              <span class="menu-title">{track.title}</span>
              <span class="menu-subtitle">{artists}</span>
            </span>
          </div>
          {extraActions.map((extra) => (
            <button key={extra.label} type="button" role="menuitem" onClick={act(extra.run)}>
              {extra.label}
            </button>
          ))}
          <button type="button" role="menuitem" onClick={act(() => setChoosingPlaylist(true))}>
            Add to playlist
          </button>
          <button type="button" role="menuitem" onClick={act(() => void likes.toggle('tracks', track.id, track.title))}>
            {liked ? 'Remove from Liked Songs' : 'Add to Liked Songs'}
          </button>
          <button type="button" role="menuitem" onClick={act(() => { player.playNext([track], origin); notices.show(`“${track.title}” plays next.`); })}>
            Play next
          </button>
          <button type="button" role="menuitem" onClick={act(() => { player.addToQueue([track], origin); notices.show(`Added “${track.title}” to the queue.`); })}>
            Add to queue
          </button>
          <button type="button" role="menuitem" onClick={act(() => void startRadio(services, `track:${track.id}`))}>
            Go to song radio
          </button>
          <a role="menuitem" href={`/album/${track.album.id}`} onClick={() => setMenuOpen(false)}>
            Go to album
          </a>
          <a role="menuitem" href={`/artist/${track.album_artist.id}`} onClick={() => setMenuOpen(false)}>
            Go to artist
          </a>
        </div>
      )}
      {choosingPlaylist && (
        <AddToPlaylistSheet
          track={track}
          onClose={() => {
            setChoosingPlaylist(false);
            row.current?.querySelector<HTMLElement>('.track-more')?.focus();
          }}
        />
      )}
    </li>
  );
}
