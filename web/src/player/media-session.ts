import { coverUrl, type TrackSummary } from '../shared/api/tonearm';

function hasMediaSession(): boolean {
  return typeof navigator !== 'undefined' && 'mediaSession' in navigator;
}

/** Lock-screen and notification controls (Media Session API), where the browser has them. */
export interface MediaSessionActions {
  play(): void;
  pause(): void;
  previous(): void;
  next(): void;
  seekTo(seconds: number): void;
  seekBy(seconds: number): void;
}

export function installMediaSession(actions: MediaSessionActions): void {
  if (!hasMediaSession()) return;
  const session = navigator.mediaSession;
  const handlers: [MediaSessionAction, MediaSessionActionHandler][] = [
    ['play', () => actions.play()],
    ['pause', () => actions.pause()],
    ['previoustrack', () => actions.previous()],
    ['nexttrack', () => actions.next()],
    ['seekto', (details) => details.seekTime !== undefined && actions.seekTo(details.seekTime)],
    ['seekbackward', (details) => actions.seekBy(-(details.seekOffset ?? 10))],
    ['seekforward', (details) => actions.seekBy(details.seekOffset ?? 10)],
  ];
  for (const [action, handler] of handlers) {
    try {
      session.setActionHandler(action, handler);
    } catch {
      // Unsupported action in this browser.
    }
  }
}

export function showTrackInMediaSession(track: TrackSummary | undefined): void {
  if (!hasMediaSession()) return;
  if (!track) {
    navigator.mediaSession.metadata = null;
    return;
  }
  const artwork: MediaImage[] = [];
  for (const size of [300, 640] as const) {
    const src = coverUrl(track.cover_id, size);
    if (src) artwork.push({ src: new URL(src, location.origin).href, sizes: `${size}x${size}`, type: 'image/jpeg' });
  }
  navigator.mediaSession.metadata = new MediaMetadata({
    title: track.title,
    artist: track.artists.map((artist) => artist.name).join(', '),
    album: track.album.title,
    artwork,
  });
}

export function showPlaybackInMediaSession(playing: boolean, position: number, duration: number): void {
  if (!hasMediaSession()) return;
  navigator.mediaSession.playbackState = playing ? 'playing' : 'paused';
  if (duration > 0 && position <= duration) {
    try {
      navigator.mediaSession.setPositionState({ duration, position, playbackRate: 1 });
    } catch {
      // Older browsers reject position states.
    }
  }
}
