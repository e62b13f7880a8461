import { useServices } from '../app/services-context';
import { Icon } from '../shared/ui/icons';
import { useObservable } from '../shared/useObservable';
import { meantToPlay, waitingForSound } from './playback-state';

/**
 * Play, Pause or Retry for the current track, as the player's state says: Pause while it
 * plays or is about to (with a spinner while the listener waits for sound), Retry once it
 * failed, Play otherwise.
 */
export function PlayToggle({ size, class: className }: { size: number; class: string }) {
  const { player } = useServices();
  const state = useObservable(player.playback);
  if (state.status === 'failed') {
    return (
      <button type="button" class={className} onClick={() => void player.play()} aria-label="Retry">
        <Icon name="retry" size={size} />
      </button>
    );
  }
  const playing = meantToPlay(state);
  // The spinner is the button's sibling: a button's children are presentational, so a
  // progressbar inside it would be hidden from assistive technology.
  return (
    <span class="play-toggle-wrap">
      <button type="button" class={className} onClick={() => player.togglePlay()} aria-label={playing ? 'Pause' : 'Play'}>
        <Icon name={playing ? 'pause' : 'play'} size={size} />
      </button>
      {waitingForSound(state) && <span class="spinner" role="progressbar" aria-label={state.status === 'buffering' ? 'Buffering' : 'Loading'} />}
    </span>
  );
}

/** The line under a track's title: why it failed, or that it waits for data, else its artists. */
export function PlaybackNote({ artists, class: className }: { artists?: string; class: string }) {
  const { player } = useServices();
  const state = useObservable(player.playback);
  if (state.status === 'failed') {
    return (
      <span class={`${className} playback-failed`} role="alert">
        Can't play: {state.message}
      </span>
    );
  }
  if (state.status === 'buffering') return <span class={className}>Buffering…</span>;
  return artists ? <span class={className}>{artists}</span> : null;
}
