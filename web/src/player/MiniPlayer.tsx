import { useServices } from '../app/services-context';
import { Cover } from '../shared/ui/Cover';
import { Icon } from '../shared/ui/icons';
import { useObservable } from '../shared/useObservable';
import { openNowPlaying } from './nowPlayingState';

/** Above the tab bar while something is queued; tapping it opens Now Playing. */
export function MiniPlayer() {
  const { player } = useServices();
  const queue = useObservable(player.queue);
  const status = useObservable(player.status);
  const progress = useObservable(player.progress);
  const track = queue.entries[queue.current]?.track;
  if (!track) return null;
  const playing = status === 'playing' || status === 'loading';
  const fraction = progress.duration > 0 ? Math.min(1, progress.position / progress.duration) : 0;
  return (
    <section class="mini-player" aria-label="Now playing">
      <button type="button" class="mini-open" onClick={openNowPlaying} aria-label={`Open player: ${track.title}`}>
        <Cover coverId={track.cover_id} size={128} />
        <span class="mini-text">
          <span class="mini-title">{track.title}</span>
          <span class="mini-artist">{track.artists.map((artist) => artist.name).join(', ')}</span>
        </span>
      </button>
      <button type="button" class="icon-button" onClick={() => player.togglePlay()} aria-label={playing ? 'Pause' : 'Play'}>
        <Icon name={playing ? 'pause' : 'play'} size={28} />
      </button>
      <button type="button" class="icon-button" onClick={() => player.next()} aria-label="Next track">
        <Icon name="next" size={28} />
      </button>
      <div class="mini-progress" style={{ transform: `scaleX(${fraction})` }} aria-hidden="true" />
    </section>
  );
}
