import { Observable } from '../shared/observable';
import { ApiError } from '../shared/api/errors';
import type { PlayContext, TrackSummary } from '../shared/api/tonearm';
import type { Notices } from '../shared/notices';
import type { EngineEvent, PlaybackEngine, PlaybackFailure, PlaybackSource } from './audio-engine';
import * as queue from './queue';
import { forgetPlayer, loadPlayer, savePlayer } from './persistence';
import { installMediaSession, showPlaybackInMediaSession, showTrackInMediaSession } from './media-session';
import type { EndReason, PlayReporter } from './play-events/tracker';
import type { StreamSources } from './stream-sources';

export type PlaybackStatus = 'idle' | 'loading' | 'playing' | 'paused';
/** A queued track remembers where it was started from, for play events and Now Playing. */
export type QueuedTrack = TrackSummary & { context?: PlayContext | null };
export type Queue = queue.QueueState<QueuedTrack>;

export interface Progress {
  position: number;
  duration: number;
}

/** "Previous" restarts the track instead when it has played longer than this. */
const RESTART_THRESHOLD_SECONDS = 3;
const SAVE_POSITION_EVERY_MS = 5_000;
/**
 * The next track is buffered (on the engine's second element) this long before the current
 * one ends: enough for a segment never encoded before (a few hundred ms) on a slow link,
 * late enough that a listener who skips rarely wastes the fetch.
 */
const PREFETCH_BEFORE_END_SECONDS = 15;

type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * The player: the queue (pure, in `queue.ts`) driven through the audio engine, with
 * sources from the API (`StreamSources`), the next track preloaded so it follows without a
 * gap, failures turned into messages (then skipped, never a silent stall),
 * the Media Session, and the queue and position kept across reloads.
 */
export class Player {
  readonly queue: Observable<Queue>;
  readonly status = new Observable<PlaybackStatus>('idle');
  readonly progress: Observable<Progress>;
  readonly volume: Observable<number>;

  /** Ignores answers to loads that a newer load replaced. */
  private loadGeneration = 0;
  /** Consecutive tracks that failed: stop once every track in the queue did. */
  private consecutiveFailures = 0;
  /** A failed stream is retried once with a fresh link (it may simply have expired). */
  private retriedCurrentLoad = false;
  private lastSavedAt = 0;
  /** The queue entry whose play the reporter is following, if one is under way. */
  private reportedEntry: string | null = null;
  /** The queue entry whose successor was prefetched. */
  private prefetchedAfter: string | null = null;
  /** The queue entry the engine holds preloaded, to follow the current one. */
  private preloadedEntry: string | null = null;

  constructor(
    private readonly engine: PlaybackEngine,
    private readonly sources: Pick<StreamSources, 'source' | 'prefetch'>,
    private readonly notices: Notices,
    private readonly storage: KeyValueStorage,
    private readonly reporter: PlayReporter | null = null,
    private readonly now: () => number = Date.now,
  ) {
    const saved = loadPlayer(storage);
    this.queue = new Observable<Queue>(saved?.queue ?? queue.emptyQueue());
    const restoredTrack = queue.currentEntry(this.queue.value)?.track;
    this.progress = new Observable<Progress>({
      position: saved?.positionSeconds ?? 0,
      duration: restoredTrack ? restoredTrack.duration_ms / 1000 : 0,
    });
    this.volume = new Observable(saved?.volume ?? 1);
    engine.setVolume(this.volume.value);
    if (restoredTrack) this.status.set('paused');
    engine.on((event) => this.onEngineEvent(event));
    installMediaSession({
      play: () => void this.play(),
      pause: () => this.pause(),
      previous: () => this.previous(),
      next: () => void this.next(),
      seekTo: (seconds) => this.seek(seconds),
      seekBy: (seconds) => this.seek(this.engine.currentTime + seconds),
    });
    showTrackInMediaSession(restoredTrack);
  }

  get currentTrack(): QueuedTrack | undefined {
    return queue.currentEntry(this.queue.value)?.track;
  }

  /** Replaces the queue; `context` says where the tracks come from (an album, a playlist, a search). */
  playTracks(tracks: TrackSummary[], start: number, options: { shuffle?: boolean; context?: PlayContext | null } = {}): void {
    const queued = withContext(tracks, options.context);
    this.setQueue(queue.playTracks(this.queue.value, queued, start, { shuffle: options.shuffle ?? false }));
    this.consecutiveFailures = 0;
    void this.startCurrent(true, 0);
  }

  async play(): Promise<void> {
    if (!this.currentTrack) return;
    if (!this.engine.hasSource) return this.startCurrent(true, this.progress.value.position);
    await this.engine.play();
  }

  pause(): void {
    this.engine.pause();
  }

  togglePlay(): void {
    if (this.status.value === 'playing' || this.status.value === 'loading') this.pause();
    else void this.play();
  }

  /**
   * The listener skips to the next track. The server is asked first, with `skip=true`: a
   * free account past its hourly skips is refused, and then the current track plays on.
   */
  async next(): Promise<void> {
    const skipping = this.engine.hasSource && this.status.value !== 'idle';
    const { state, ended } = queue.next(this.queue.value, 'skip');
    const target = queue.currentEntry(state)?.track;
    if (ended || !target || !skipping) {
      this.advance('skip');
      return;
    }
    const generation = ++this.loadGeneration;
    let source: PlaybackSource;
    try {
      source = await this.sources.source(target.id, { skip: true });
    } catch (error) {
      if (generation !== this.loadGeneration) return;
      if (error instanceof ApiError && error.code === 'skip_limit_reached') {
        this.notices.show(skipLimitMessage(error, this.now()));
        return;
      }
      this.endPlay('skipped');
      this.setQueue(state);
      this.onStreamRefused(target, error);
      return;
    }
    if (generation !== this.loadGeneration) return;
    this.endPlay('skipped');
    this.setQueue(state);
    await this.startCurrent(true, 0, source);
  }

  previous(): void {
    if (this.engine.currentTime > RESTART_THRESHOLD_SECONDS) {
      this.seek(0);
      return;
    }
    this.setQueue(queue.previous(this.queue.value));
    void this.startCurrent(true, 0);
  }

  jumpTo(index: number): void {
    this.setQueue(queue.jumpTo(this.queue.value, index));
    void this.startCurrent(true, 0);
  }

  seek(seconds: number): void {
    if (!this.engine.hasSource) {
      this.progress.set({ ...this.progress.value, position: Math.max(0, seconds) });
      this.persist(true);
      return;
    }
    this.engine.seek(seconds);
  }

  setVolume(volume: number): void {
    this.engine.setVolume(volume);
    this.volume.set(Math.min(1, Math.max(0, volume)));
    this.persist(true);
  }

  toggleShuffle(): void {
    this.setQueue(queue.toggleShuffle(this.queue.value));
  }

  cycleRepeat(): void {
    this.setQueue(queue.cycleRepeat(this.queue.value));
  }

  playNext(tracks: TrackSummary[], context: PlayContext | null = null): void {
    const wasEmpty = !this.currentTrack;
    this.setQueue(queue.playNext(this.queue.value, withContext(tracks, context)));
    if (wasEmpty) void this.startCurrent(true, 0);
  }

  addToQueue(tracks: TrackSummary[], context: PlayContext | null = null): void {
    const wasEmpty = !this.currentTrack;
    this.setQueue(queue.addToQueue(this.queue.value, withContext(tracks, context)));
    if (wasEmpty) void this.startCurrent(true, 0);
  }

  move(from: number, to: number): void {
    this.setQueue(queue.move(this.queue.value, from, to));
  }

  remove(index: number): void {
    const removingCurrent = index === this.queue.value.current;
    this.setQueue(queue.remove(this.queue.value, index));
    if (removingCurrent) void this.startCurrent(this.status.value === 'playing', 0);
  }

  /** Sign-out: nothing of this listener's session stays on the device. */
  reset(): void {
    this.endPlay('skipped');
    this.loadGeneration++;
    this.engine.stop();
    this.preloadedEntry = null;
    this.prefetchedAfter = null;
    this.queue.set(queue.emptyQueue());
    this.progress.set({ position: 0, duration: 0 });
    this.status.set('idle');
    forgetPlayer(this.storage);
    showTrackInMediaSession(undefined);
  }

  private setQueue(next: Queue): void {
    this.queue.set(next);
    this.dropStalePreload();
    this.persist(true);
  }

  /**
   * After an edit of the queue (play next, a move, shuffle, repeat), a preloaded track that
   * no longer follows is dropped; the next time update prefetches the one that does. One
   * about to start as the current track is kept: the engine starts it from its buffer.
   */
  private dropStalePreload(): void {
    if (this.preloadedEntry === null) return;
    const current = queue.currentEntry(this.queue.value)?.uid;
    if (this.preloadedEntry === current || this.preloadedEntry === this.followingEntry()?.uid) return;
    this.engine.cancelPreload();
    this.preloadedEntry = null;
    this.prefetchedAfter = null;
  }

  /** What plays when the current track ends by itself. */
  private followingEntry(): queue.QueueEntry<QueuedTrack> | undefined {
    const { state, ended } = queue.next(this.queue.value, 'ended');
    return ended ? undefined : queue.currentEntry(state);
  }

  /** The engine started the preloaded track where the current one ended: the queue follows. */
  private onAdvanced(): void {
    // A start under way (a skip waiting for the server) was meant for the track that ended.
    this.loadGeneration++;
    this.endPlay('completed');
    this.preloadedEntry = null;
    this.prefetchedAfter = null;
    this.setQueue(queue.next(this.queue.value, 'ended').state);
    const track = this.currentTrack;
    showTrackInMediaSession(track);
    this.progress.set({ position: 0, duration: track ? track.duration_ms / 1000 : 0 });
  }

  /** Moves on without asking: the track ended, or failed (neither is the listener's skip). */
  private advance(reason: 'ended' | 'skip'): void {
    const { state, ended } = queue.next(this.queue.value, reason);
    if (ended) {
      this.engine.pause();
      this.engine.seek(0);
      this.status.set('paused');
      return;
    }
    this.setQueue(state);
    void this.startCurrent(true, 0);
  }

  private async startCurrent(autoplay: boolean, startAt: number, source?: PlaybackSource): Promise<void> {
    const generation = ++this.loadGeneration;
    const track = this.currentTrack;
    // Whatever was playing before is over: the listener moved away from it.
    if (this.reportedEntry !== null && this.reportedEntry !== queue.currentEntry(this.queue.value)?.uid) this.endPlay('skipped');
    showTrackInMediaSession(track);
    if (!track) {
      this.engine.stop();
      this.preloadedEntry = null;
      this.status.set('idle');
      return;
    }
    this.retriedCurrentLoad = false;
    this.status.set('loading');
    this.progress.set({ position: startAt, duration: track.duration_ms / 1000 });
    await this.loadStream(track, generation, autoplay, startAt, source);
  }

  private async loadStream(track: TrackSummary, generation: number, autoplay: boolean, startAt: number, knownSource?: PlaybackSource): Promise<void> {
    let source = knownSource;
    if (source === undefined) {
      try {
        source = await this.sources.source(track.id);
      } catch (error) {
        if (generation !== this.loadGeneration) return;
        this.onStreamRefused(track, error);
        return;
      }
    }
    if (generation !== this.loadGeneration) return;
    // The engine starts a preloaded source from its buffer, or drops the preload.
    this.preloadedEntry = null;
    this.prefetchedAfter = null;
    this.engine.load(source, startAt);
    if (autoplay) await this.engine.play();
    else this.status.set('paused');
  }

  private onStreamRefused(track: TrackSummary, error: unknown): void {
    const apiError = error instanceof ApiError ? error : null;
    // Refused (a tier, a vanished file): say why, then move on. A network failure is
    // not the track's fault: stay on it and offer to try again.
    if (apiError && !apiError.isNetworkFailure && apiError.status >= 400 && apiError.status < 500) {
      this.skipAfterFailure(`Can't play “${track.title}”: ${apiError.message}`);
      return;
    }
    this.status.set('paused');
    const message = apiError?.message ?? 'The track could not be loaded.';
    this.notices.show(message, { label: 'Retry', run: () => void this.play() });
  }

  private skipAfterFailure(message: string): void {
    this.endPlay('error');
    this.consecutiveFailures += 1;
    if (this.consecutiveFailures >= this.queue.value.entries.length) {
      this.engine.stop();
      this.status.set('paused');
      this.notices.show(`${message} No other track in the queue can be played.`);
      return;
    }
    this.notices.show(`${message} Skipping to the next track.`);
    this.advance('skip');
  }

  private onEngineEvent(event: EngineEvent): void {
    switch (event.type) {
      case 'loading':
        this.status.set('loading');
        break;
      case 'playing':
        this.consecutiveFailures = 0;
        this.status.set('playing');
        this.beginPlay();
        this.showPlayback();
        break;
      case 'paused':
        // After reset() (sign-out) the element still reports its pause: nothing to keep.
        if (this.status.value === 'idle') return;
        this.reporter?.interrupt();
        this.status.set('paused');
        this.showPlayback();
        this.persist(true);
        break;
      case 'time':
        this.progress.set({ position: event.currentTime, duration: event.duration || this.progress.value.duration });
        this.reporter?.position(event.currentTime, this.status.value === 'playing');
        this.persist(false);
        this.prefetchNext(event.currentTime, event.duration);
        break;
      case 'ended':
        this.endPlay('completed');
        this.advance('ended');
        break;
      case 'advanced':
        this.onAdvanced();
        break;
      case 'error':
        this.onPlaybackError(event);
        break;
    }
  }

  private onPlaybackError(failure: PlaybackFailure): void {
    const track = this.currentTrack;
    if (!track) return;
    const { reason } = failure;
    if (failure.reason === 'refused') {
      this.skipAfterFailure(`Can't play “${track.title}”: ${failure.message}`);
      return;
    }
    if (reason === 'autoplay-blocked') {
      this.status.set('paused');
      return;
    }
    if ((reason === 'network' || reason === 'unsupported') && !this.retriedCurrentLoad) {
      // An expired link or a dropped connection: fetch a fresh link and resume where we were.
      this.retriedCurrentLoad = true;
      const generation = ++this.loadGeneration;
      void this.loadStream(track, generation, true, this.progress.value.position);
      return;
    }
    const why = reason === 'decode' ? 'the file could not be decoded' : 'the stream failed';
    this.skipAfterFailure(`Can't play “${track.title}”: ${why}.`);
  }

  /** Near the end of a track, the one that will follow it is resolved and handed to the engine to buffer. */
  private prefetchNext(position: number, duration: number): void {
    const entry = queue.currentEntry(this.queue.value);
    if (!entry || duration <= 0 || duration - position > PREFETCH_BEFORE_END_SECONDS || this.prefetchedAfter === entry.uid) return;
    // Nothing follows (yet: repeat may be switched on): asked again at the next time update.
    const following = this.followingEntry();
    if (!following) return;
    this.prefetchedAfter = entry.uid;
    const generation = this.loadGeneration;
    void this.sources.prefetch(following.track.id).then((source) => {
      // Too late when another track started meanwhile, or the queue changed what follows.
      if (!source || generation !== this.loadGeneration || this.prefetchedAfter !== entry.uid) return;
      if (this.followingEntry()?.uid !== following.uid) return;
      this.preloadedEntry = following.uid;
      this.engine.preload(source);
    });
  }

  /** The first `playing` of a queue entry starts a play; resuming after a pause does not. */
  private beginPlay(): void {
    const entry = queue.currentEntry(this.queue.value);
    if (!entry || !this.reporter || this.reportedEntry === entry.uid) return;
    this.reportedEntry = entry.uid;
    this.reporter.start(entry.track.id, entry.track.context ?? null);
  }

  private endPlay(reason: EndReason): void {
    if (this.reportedEntry === null) return;
    this.reportedEntry = null;
    this.reporter?.end(reason);
  }

  private showPlayback(): void {
    showPlaybackInMediaSession(this.status.value === 'playing', this.engine.currentTime, this.engine.duration);
  }

  /** Saves the queue and position; time updates only every few seconds. */
  persist(force: boolean): void {
    if (this.queue.value.entries.length === 0) {
      forgetPlayer(this.storage);
      return;
    }
    const now = Date.now();
    if (!force && now - this.lastSavedAt < SAVE_POSITION_EVERY_MS) return;
    this.lastSavedAt = now;
    savePlayer(this.storage, { queue: this.queue.value, positionSeconds: this.progress.value.position, volume: this.volume.value });
  }
}

function withContext(tracks: TrackSummary[], context: PlayContext | null | undefined): QueuedTrack[] {
  return context ? tracks.map((track) => ({ ...track, context })) : tracks;
}

/** "You can skip again at 14:32 (in 12 min)": when, as a clock time and as a wait. */
export function skipLimitMessage(error: ApiError, now: number): string {
  const waitSeconds = error.retryAfterSeconds ?? 3600;
  const minutes = Math.max(1, Math.ceil(waitSeconds / 60));
  const at = new Date(now + waitSeconds * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return `You've used this hour's skips on the free plan. You can skip again at ${at} (in ${minutes} min). Premium skips without limit.`;
}
