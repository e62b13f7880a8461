import { useRef } from 'preact/hooks';
import { useServices } from '../app/services-context';
import { Cover } from '../shared/ui/Cover';
import { Icon } from '../shared/ui/icons';
import { useObservable } from '../shared/useObservable';
import { openNowPlaying } from './nowPlayingState';
import { PlaybackNote, PlayToggle } from './PlayToggle';

/**
 * The cover to show: a new one waits until the track's start is over (on a weak link its
 * 20–30 kB would share the line with the first segment and delay the first sound); one
 * already shown stays.
 */
function useCoverAfterStart(coverId: string | null | undefined, starting: boolean): string | null | undefined {
  const shown = useRef<string | null | undefined>(null);
  if (starting && coverId !== shown.current) return null;
  shown.current = coverId;
  return coverId;
}

/** Above the tab bar while something is queued; tapping it opens Now Playing. */
export function MiniPlayer() {
  const { player } = useServices();
  const queue = useObservable(player.queue);
  const progress = useObservable(player.progress);
  const { status } = useObservable(player.playback);
  const track = queue.entries[queue.current]?.track;
  const coverId = useCoverAfterStart(track?.cover_id, status === 'loading');
  if (!track) return null;
  const fraction = progress.duration > 0 ? Math.min(1, progress.position / progress.duration) : 0;
  return (
    <section class="mini-player" aria-label="Now playing" data-playback={status}>
      <button type="button" class="mini-open" onClick={openNowPlaying} aria-label={`Open player: ${track.title}`}>
        <Cover coverId={coverId} size={128} />
        <span class="mini-text">
          <span class="mini-title">{track.title}</span>
          <PlaybackNote class="mini-artist" artists={track.artists.map((artist) => artist.name).join(', ')} />
        </span>
      </button>
      <PlayToggle class="icon-button" size={28} />
      <button type="button" class="icon-button" onClick={() => player.next()} aria-label="Next track">
        <Icon name="next" size={28} />
      </button>
      <div class="mini-progress" style={{ transform: `scaleX(${fraction})` }} aria-hidden="true" />
    </section>
  );
}
