import { useEffect, useRef, useState } from 'preact/hooks';
import type { Router } from '../app/router';
import { useServices } from '../app/services-context';
import { LikeButton } from '../library/likes/LikeButton';
import { Cover } from '../shared/ui/Cover';
import { Icon } from '../shared/ui/icons';
import { useObservable } from '../shared/useObservable';
import { closeNowPlaying, nowPlayingOpen } from './nowPlayingState';
import type { QueuedTrack } from './player';
import { PlayToggle, PlaybackNote } from './PlayToggle';
import { QueueList } from './QueueList';
import { radioSeedOf } from './radio';
import { SeekBar } from './SeekBar';

/**
 * Leaves Now Playing for a page: its history entry becomes that page, so "back" returns to
 * where the listener was before opening the player.
 */
function goTo(event: MouseEvent, path: string, router: Router): void {
  event.preventDefault();
  const state: unknown = history.state;
  const openedWithHistoryEntry = typeof state === 'object' && state !== null && 'nowPlaying' in state;
  router.navigate(path, { replace: openedWithHistoryEntry });
  nowPlayingOpen.set(false);
}

/** "Playing from album", as Spotify heads its player. */
function playingFrom(track: QueuedTrack): string {
  const context = track.context;
  if (radioSeedOf(track)) return 'Playing from radio';
  if (context?.kind === 'recommendation' && context.id?.startsWith('mix:')) return 'Playing from mix';
  switch (context?.kind) {
    case 'album':
      return 'Playing from album';
    case 'artist':
      return 'Playing from artist';
    case 'playlist':
      return 'Playing from playlist';
    case 'search':
      return 'Playing from search';
    case 'library':
      return 'Playing from your library';
    case 'recommendation':
      return 'Playing from Home';
    default:
      return 'Now playing';
  }
}

/** The name under "Playing from": the playlist's, the artist's, the search text; the album's for queues saved before names were kept. */
function sourceName(track: QueuedTrack): string {
  const name = track.from ?? track.album.title;
  return track.context?.kind === 'search' ? `“${name}”` : name;
}

const REPEAT_LABELS = { off: 'Repeat: off', all: 'Repeat: all', one: 'Repeat: this track' } as const;

/** Full-screen player: artwork, seek bar, transport, shuffle and repeat, volume, queue. */
export function NowPlaying() {
  const { player, router } = useServices();
  const queue = useObservable(player.queue);
  const volume = useObservable(player.volume);
  const [showQueue, setShowQueue] = useState(false);
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => closeButton.current?.focus(), []);
  const track = queue.entries[queue.current]?.track;
  return (
    <div class="now-playing" role="dialog" aria-modal="true" aria-label="Now playing" onKeyDown={(event) => event.key === 'Escape' && closeNowPlaying()}>
      <header class="now-playing-header">
        <button ref={closeButton} type="button" class="icon-button" onClick={closeNowPlaying} aria-label="Close player">
          <Icon name="down" size={32} />
        </button>
        <span class="now-playing-context">
          <span class="now-playing-from">{track ? playingFrom(track) : 'Nothing playing'}</span>
          {track && <span class="now-playing-source">{sourceName(track)}</span>}
        </span>
        <button type="button" class="icon-button" aria-pressed={showQueue} onClick={() => setShowQueue(!showQueue)} aria-label="Show queue">
          <Icon name="queue" />
        </button>
      </header>
      {showQueue ? (
        <QueueList />
      ) : (
        <div class="now-playing-art">
          <Cover coverId={track?.cover_id} size={640} alt={track ? `Cover of ${track.album.title}` : ''} />
        </div>
      )}
      {track && (
        <div class="now-playing-info">
          <div class="now-playing-text">
            <h2>{track.title}</h2>
            <p>
              <a href={`/artist/${track.album_artist.id}`} onClick={(event) => goTo(event, `/artist/${track.album_artist.id}`, router)}>
                {track.artists.map((artist) => artist.name).join(', ')}
              </a>
            </p>
            <PlaybackNote class="now-playing-note" />
          </div>
          <LikeButton kind="tracks" id={track.id} name={track.title} size={28} />
        </div>
      )}
      <SeekBar />
      <div class="transport">
        <button type="button" class="icon-button" aria-pressed={queue.shuffle} onClick={() => player.toggleShuffle()} aria-label="Shuffle">
          <Icon name="shuffle" />
        </button>
        <button type="button" class="icon-button" onClick={() => player.previous()} aria-label="Previous track">
          <Icon name="previous" size={36} />
        </button>
        <PlayToggle class="play-toggle" size={36} />
        <button type="button" class="icon-button" onClick={() => player.next()} aria-label="Next track">
          <Icon name="next" size={36} />
        </button>
        <button type="button" class="icon-button" aria-pressed={queue.repeat !== 'off'} onClick={() => player.cycleRepeat()} aria-label={REPEAT_LABELS[queue.repeat]} title={REPEAT_LABELS[queue.repeat]}>
          <Icon name={queue.repeat === 'one' ? 'repeatOne' : 'repeat'} />
        </button>
      </div>
      <label class="volume">
        <Icon name="volume" size={20} />
        <span class="visually-hidden">Volume</span>
        <input type="range" min={0} max={1} step={0.01} value={volume} onInput={(event) => player.setVolume(Number((event.target as HTMLInputElement).value))} />
      </label>
    </div>
  );
}
