import type { QueueState } from './queue';
import type { TrackSummary } from '../shared/api/tonearm';

const STORAGE_KEY = 'tonearm.player.v1';

/** What survives a reload: the queue, where we were in the track, and the volume. */
export interface SavedPlayer {
  queue: QueueState<TrackSummary>;
  positionSeconds: number;
  volume: number;
}

type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function loadPlayer(storage: KeyValueStorage): SavedPlayer | null {
  const raw = storage.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    const saved = JSON.parse(raw) as SavedPlayer;
    if (!Array.isArray(saved.queue?.entries) || typeof saved.queue.current !== 'number') return null;
    return saved;
  } catch {
    return null;
  }
}

export function savePlayer(storage: KeyValueStorage, saved: SavedPlayer): void {
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify(saved));
  } catch {
    // Storage full or denied (private mode): playback goes on without persistence.
  }
}

export function forgetPlayer(storage: KeyValueStorage): void {
  storage.removeItem(STORAGE_KEY);
}
