import { Observable } from '../shared/observable';

/**
 * Whether the full-screen Now Playing view is open. Opening it adds a history entry so the
 * phone's back gesture closes it rather than leaving the page.
 */
export const nowPlayingOpen = new Observable(false);

export function openNowPlaying(): void {
  if (nowPlayingOpen.value) return;
  history.pushState({ nowPlaying: true }, '');
  nowPlayingOpen.set(true);
}

export function closeNowPlaying(): void {
  if (!nowPlayingOpen.value) return;
  const state: unknown = history.state;
  if (typeof state === 'object' && state !== null && 'nowPlaying' in state) history.back();
  else nowPlayingOpen.set(false);
}

addEventListener('popstate', () => nowPlayingOpen.set(false));
