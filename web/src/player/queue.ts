/**
 * The play queue as pure functions over an immutable value: what plays now, what comes next,
 * shuffle and repeat. No audio, no DOM, so every rule is unit-tested.
 */

export type RepeatMode = 'off' | 'all' | 'one';

export interface QueueEntry<Track> {
  /** Unique within the queue: the same track may be queued twice. */
  uid: string;
  track: Track;
}

export interface QueueState<Track> {
  /** In play order (shuffled when `shuffle` is on). */
  entries: QueueEntry<Track>[];
  /** Index into `entries` of what plays now; -1 when the queue is empty. */
  current: number;
  shuffle: boolean;
  /** The order to return to when shuffle is switched off. */
  unshuffled: QueueEntry<Track>[] | null;
  repeat: RepeatMode;
}

export function emptyQueue<Track>(): QueueState<Track> {
  return { entries: [], current: -1, shuffle: false, unshuffled: null, repeat: 'off' };
}

let uidCounter = 0;
export function newUid(): string {
  uidCounter += 1;
  return `${Date.now().toString(36)}-${uidCounter.toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

function entriesOf<Track>(tracks: Track[]): QueueEntry<Track>[] {
  return tracks.map((track) => ({ uid: newUid(), track }));
}

/** Fisher–Yates. */
function shuffled<T>(items: T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

export function currentEntry<Track>(state: QueueState<Track>): QueueEntry<Track> | undefined {
  return state.entries[state.current];
}

/** Replaces the queue with `tracks`, starting at `start` (or at a random one when shuffling). */
export function playTracks<Track>(
  state: QueueState<Track>,
  tracks: Track[],
  start: number,
  options: { shuffle: boolean; random?: () => number },
): QueueState<Track> {
  const entries = entriesOf(tracks);
  if (entries.length === 0) return { ...state, entries: [], current: -1, unshuffled: null };
  const base: QueueState<Track> = { ...state, entries, current: Math.min(Math.max(start, 0), entries.length - 1), shuffle: false, unshuffled: null };
  if (!options.shuffle) return base;
  const random = options.random ?? Math.random;
  // "Shuffle play" with no chosen track starts anywhere; a chosen one plays first.
  const first = start < 0 ? Math.floor(random() * entries.length) : base.current;
  return shuffleOn({ ...base, current: first }, random);
}

function shuffleOn<Track>(state: QueueState<Track>, random: () => number): QueueState<Track> {
  const playing = currentEntry(state);
  const rest = state.entries.filter((_, index) => index !== state.current);
  const entries = playing ? [playing, ...shuffled(rest, random)] : shuffled(rest, random);
  return { ...state, entries, current: playing ? 0 : -1, shuffle: true, unshuffled: state.entries };
}

function shuffleOff<Track>(state: QueueState<Track>): QueueState<Track> {
  const playing = currentEntry(state);
  const remaining = new Set(state.entries.map((entry) => entry.uid));
  const restored = (state.unshuffled ?? []).filter((entry) => remaining.has(entry.uid));
  const known = new Set(restored.map((entry) => entry.uid));
  const entries = [...restored, ...state.entries.filter((entry) => !known.has(entry.uid))];
  const current = playing ? entries.findIndex((entry) => entry.uid === playing.uid) : -1;
  return { ...state, entries, current, shuffle: false, unshuffled: null };
}

export function toggleShuffle<Track>(state: QueueState<Track>, random: () => number = Math.random): QueueState<Track> {
  return state.shuffle ? shuffleOff(state) : shuffleOn(state, random);
}

export function cycleRepeat<Track>(state: QueueState<Track>): QueueState<Track> {
  const next: Record<RepeatMode, RepeatMode> = { off: 'all', all: 'one', one: 'off' };
  return { ...state, repeat: next[state.repeat] };
}

export type Advance<Track> = { state: QueueState<Track>; ended: boolean };

/**
 * The track after the current one. `reason: 'ended'` honours repeat-one (the same track
 * again); a listener pressing next always moves on. `ended` says the queue ran out.
 */
export function next<Track>(state: QueueState<Track>, reason: 'ended' | 'skip'): Advance<Track> {
  if (state.entries.length === 0) return { state, ended: true };
  if (reason === 'ended' && state.repeat === 'one') return { state, ended: false };
  if (state.current + 1 < state.entries.length) return { state: { ...state, current: state.current + 1 }, ended: false };
  if (state.repeat === 'off') return { state, ended: true };
  return { state: { ...state, current: 0 }, ended: false };
}

export function previous<Track>(state: QueueState<Track>): QueueState<Track> {
  if (state.entries.length === 0) return state;
  if (state.current > 0) return { ...state, current: state.current - 1 };
  return state.repeat === 'all' ? { ...state, current: state.entries.length - 1 } : { ...state, current: 0 };
}

export function jumpTo<Track>(state: QueueState<Track>, index: number): QueueState<Track> {
  if (index < 0 || index >= state.entries.length) return state;
  return { ...state, current: index };
}

/** Inserts right after what plays now ("Play next"). */
export function playNext<Track>(state: QueueState<Track>, tracks: Track[]): QueueState<Track> {
  const added = entriesOf(tracks);
  const at = state.current + 1;
  const entries = [...state.entries.slice(0, at), ...added, ...state.entries.slice(at)];
  const unshuffled = state.unshuffled ? [...state.unshuffled, ...added] : null;
  return { ...state, entries, unshuffled, current: state.current === -1 ? 0 : state.current };
}

/** Appends at the end ("Add to queue"). */
export function addToQueue<Track>(state: QueueState<Track>, tracks: Track[]): QueueState<Track> {
  const added = entriesOf(tracks);
  const unshuffled = state.unshuffled ? [...state.unshuffled, ...added] : null;
  return { ...state, entries: [...state.entries, ...added], unshuffled, current: state.current === -1 && added.length > 0 ? 0 : state.current };
}

/** Moves one entry; what plays now keeps playing wherever it ends up. */
export function move<Track>(state: QueueState<Track>, from: number, to: number): QueueState<Track> {
  const count = state.entries.length;
  if (from < 0 || from >= count || to < 0 || to >= count || from === to) return state;
  const playing = currentEntry(state);
  const entries = [...state.entries];
  const [moved] = entries.splice(from, 1);
  if (!moved) return state;
  entries.splice(to, 0, moved);
  const current = playing ? entries.findIndex((entry) => entry.uid === playing.uid) : -1;
  return { ...state, entries, current };
}

/** Removes one entry. Removing what plays now makes the following entry current. */
export function remove<Track>(state: QueueState<Track>, index: number): QueueState<Track> {
  if (index < 0 || index >= state.entries.length) return state;
  const removed = state.entries[index];
  const entries = state.entries.filter((_, position) => position !== index);
  const unshuffled = state.unshuffled ? state.unshuffled.filter((entry) => entry.uid !== removed?.uid) : null;
  let current = state.current;
  if (index < current) current -= 1;
  if (current >= entries.length) current = entries.length - 1;
  return { ...state, entries, unshuffled, current };
}
