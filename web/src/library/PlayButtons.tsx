import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { useServices } from '../app/services-context';
import { meantToPlay } from '../player/playback-state';
import type { PlayContext, TrackSummary } from '../shared/api/tonearm';
import { Icon } from '../shared/ui/icons';
import { useObservable } from '../shared/useObservable';

/**
 * Play and Shuffle for a whole album, artist or playlist, with room for a like button or
 * menu beside them. While this context plays, Play is Pause (and, paused, resumes rather
 * than starting over), as on Spotify. `first`, the track Play starts, is fetched ahead.
 */
export function PlayButtons({ label, context, first, onPlay, onShuffle, disabled, children }: {
  label: string;
  context: PlayContext;
  first?: TrackSummary;
  onPlay: () => void;
  onShuffle: () => void;
  disabled?: boolean;
  children?: ComponentChildren;
}) {
  const { player } = useServices();
  useObservable(player.queue);
  const state = useObservable(player.playback);
  const current = player.isPlayingFrom(context);
  const playing = current && meantToPlay(state);
  useEffect(() => {
    if (first && !disabled) player.warmStart(first);
  }, [first?.id]);
  const press = () => {
    if (playing) player.pause();
    else if (current && state.status === 'paused') void player.play();
    else onPlay();
  };
  return (
    <div class="play-buttons">
      {children}
      <button type="button" class="button secondary" onClick={onShuffle} disabled={disabled} aria-label={`Shuffle ${label}`}>
        <Icon name="shuffle" /> Shuffle
      </button>
      <button type="button" class="button primary" onClick={press} disabled={disabled} aria-label={`${playing ? 'Pause' : 'Play'} ${label}`}>
        <Icon name={playing ? 'pause' : 'play'} /> {playing ? 'Pause' : 'Play'}
      </button>
    </div>
  );
}
