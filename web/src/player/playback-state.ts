/**
 * What the player is doing with the current queue entry, as one value: the single source
 * of truth that the mini-player, Now Playing, the play buttons and the Media Session show.
 * Pure: `Player` feeds it what it asked for and what the media element reported, each
 * event naming the queue entry it is about, so a report about an entry the player has
 * moved away from (a load that finished late, an element paused after it was replaced)
 * can never change what the screen says about the current one.
 */

export type PlaybackStatus = 'idle' | 'loading' | 'playing' | 'paused' | 'buffering' | 'failed';

export type PlaybackState =
  | { status: 'idle' }
  /** The source is being asked for or attached; `autoplay` is false once the listener paused meanwhile. */
  | { status: 'loading'; entry: string; autoplay: boolean }
  /** `buffering`: the element waits for data while it should play (a stall, a seek, a reconnect). */
  | { status: 'playing' | 'paused' | 'buffering'; entry: string }
  /** Nothing of it is audible; `retryable` when trying again may work (the network, not the track). */
  | { status: 'failed'; entry: string; message: string; retryable: boolean };

export type PlaybackEvent =
  /** The player starts an entry: asks for its source, then attaches it. */
  | { type: 'load'; entry: string; autoplay: boolean }
  /** A queue restored after a reload: shown paused, nothing attached yet. */
  | { type: 'restore'; entry: string }
  /** The listener paused before the element had anything to pause. */
  | { type: 'pause-requested' }
  | { type: 'element-waiting'; entry: string }
  | { type: 'element-playing'; entry: string }
  | { type: 'element-paused'; entry: string }
  | { type: 'failed'; entry: string; message: string; retryable: boolean }
  /** The queue is empty, or the listener signed out. */
  | { type: 'stop' };

export const IDLE: PlaybackState = { status: 'idle' };

export function nextPlaybackState(state: PlaybackState, event: PlaybackEvent): PlaybackState {
  switch (event.type) {
    case 'load':
      return { status: 'loading', entry: event.entry, autoplay: event.autoplay };
    case 'restore':
      return { status: 'paused', entry: event.entry };
    case 'stop':
      return IDLE;
    case 'pause-requested':
      return state.status === 'loading' ? { ...state, autoplay: false } : state;
  }
  // The rest are reports about one entry: about any other, they are stale.
  if (state.status === 'idle' || state.entry !== event.entry) return state;
  switch (event.type) {
    case 'failed':
      return { status: 'failed', entry: event.entry, message: event.message, retryable: event.retryable };
    case 'element-playing':
      // A failed entry is detached: an element reporting it plays is a late event.
      return state.status === 'failed' ? state : { status: 'playing', entry: event.entry };
    case 'element-waiting':
      return state.status === 'playing' ? { status: 'buffering', entry: event.entry } : state;
    case 'element-paused':
      return state.status === 'failed' ? state : { status: 'paused', entry: event.entry };
  }
}

/** Whether the listener hears it, or soon will: the play button shows Pause. */
export function meantToPlay(state: PlaybackState): boolean {
  return state.status === 'playing' || state.status === 'buffering' || (state.status === 'loading' && state.autoplay);
}

/** Whether a spinner belongs on the play button: the listener waits for sound. */
export function waitingForSound(state: PlaybackState): boolean {
  return state.status === 'buffering' || (state.status === 'loading' && state.autoplay);
}
