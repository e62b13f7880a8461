import { Observable } from '../shared/observable';
import { ApiError } from '../shared/api/errors';
import type { PlayContext, TrackSummary } from '../shared/api/tonearm';
import type { Notices } from '../shared/notices';
import type { EngineEvent, PlaybackEngine, PlaybackFailure, PlaybackSource } from './audio-engine';
import * as queue from './queue';
import { forgetPlayer, loadPlayer, savePlayer } from './persistence';
import { installMediaSession, showPlaybackInMediaSession, showTrackInMediaSession } from './media-session';
import type { EndReason, PlayReporter } from './play-events/tracker';
import { IDLE, meantToPlay, nextPlaybackState, type PlaybackEvent, type PlaybackState } from './playback-state';
import type { StreamSources } from './stream-sources';

/**
 * A queued track remembers where it was started from: `context` for play events, `from`
 * (the album's, playlist's or artist's name, the search text) for Now Playing's "Playing from".
 */
export type QueuedTrack = TrackSummary & { context?: PlayContext | null; from?: string };
export interface PlayOrigin {
  context?: PlayContext | null;
  from?: string;
}
export type Queue = queue.QueueState<QueuedTrack>;
type Entry = queue.QueueEntry<QueuedTrack>;

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
/**
 * This far into a track (its own start long done) the start of the one after it is fetched
 * ahead, first segment included, so that a skip to it begins at once.
 */
const WARM_NEXT_AFTER_SECONDS = 5;

type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * The player: the queue (pure, in `queue.ts`) driven through the audio engine, with
 * sources from the API (`StreamSources`), the next track preloaded so it follows without a
 * gap, failures shown on the failed track (a refusal then moves on, a network failure
 * waits for Retry), the Media Session, and the queue and position kept across reloads.
 *
 * What the screen shows is what plays: `playback` (see `playback-state.ts`) is the one
 * account of the current entry, and the engine is only ever audible for the current entry
 * (`engineEntry`): whenever the queue moves elsewhere, what played before is silenced.
 */
export class Player {
  readonly queue: Observable<Queue>;
  readonly playback = new Observable<PlaybackState>(IDLE);
  readonly progress: Observable<Progress>;
  readonly volume: Observable<number>;

  /** Ignores answers to loads that a newer load replaced. */
  private loadGeneration = 0;
  /** The queue entry whose source the engine's playing element holds; null when it holds none. */
  private engineEntry: string | null = null;
  /** Consecutive tracks that failed: stop once every track in the queue did. */
  private consecutiveFailures = 0;
  /** The first of those, the track the listener chose: shown when none of the queue can play. */
  private firstFailure: { entry: string; message: string } | null = null;
  /** A failed stream is retried once with a fresh link (it may simply have expired). */
  private retriedCurrentLoad = false;
  private lastSavedAt = 0;
  /** The queue entry whose play the reporter is following, if one is under way. */
  private reportedEntry: string | null = null;
  /** The queue entry whose successor was prefetched. */
  private prefetchedAfter: string | null = null;
  /** The queue entry the engine holds preloaded, to follow the current one. */
  private preloadedEntry: string | null = null;
  /** The queue entry whose successor's start was fetched ahead. */
  private warmedAfter: string | null = null;
  /** Told when the queue runs out by itself (Autoplay carries on from there). */
  private readonly endListeners = new Set<(last: QueuedTrack) => void>();

  constructor(
    private readonly engine: PlaybackEngine,
    private readonly sources: Pick<StreamSources, 'source' | 'prefetch' | 'warm'>,
    private readonly notices: Notices,
    private readonly storage: KeyValueStorage,
    private readonly reporter: PlayReporter | null = null,
    private readonly now: () => number = Date.now,
  ) {
    const saved = loadPlayer(storage);
    this.queue = new Observable<Queue>(saved?.queue ?? queue.emptyQueue());
    const restored = queue.currentEntry(this.queue.value);
    this.progress = new Observable<Progress>({
      position: saved?.positionSeconds ?? 0,
      duration: restored ? restored.track.duration_ms / 1000 : 0,
    });
    this.volume = new Observable(saved?.volume ?? 1);
    engine.setVolume(this.volume.value);
    if (restored) this.dispatch({ type: 'restore', entry: restored.uid });
    engine.on((event) => this.onEngineEvent(event));
    installMediaSession({
      play: () => void this.play(),
      pause: () => this.pause(),
      previous: () => this.previous(),
      next: () => void this.next(),
      seekTo: (seconds) => this.seek(seconds),
      seekBy: (seconds) => this.seek(this.progress.value.position + seconds),
    });
    showTrackInMediaSession(restored?.track);
  }

  get currentTrack(): QueuedTrack | undefined {
    return this.currentEntry()?.track;
  }

  /** Replaces the queue; `context` says where the tracks come from (an album, a playlist, a search). */
  playTracks(tracks: TrackSummary[], start: number, options: { shuffle?: boolean } & PlayOrigin = {}): void {
    const queued = withOrigin(tracks, options);
    this.setQueue(queue.playTracks(this.queue.value, queued, start, { shuffle: options.shuffle ?? false }));
    this.consecutiveFailures = 0;
    this.firstFailure = null;
    void this.startCurrent(true, 0);
  }

  /**
   * A screen the listener may start playing from (an album, a playlist) shows: its first
   * track's source and playlist are fetched ahead, so Play waits for less.
   */
  warmStart(track: TrackSummary): void {
    void this.sources.warm(track.id, { firstSegment: false });
  }

  /** Whether the current entry was started from `context` (this album, this playlist). */
  isPlayingFrom(context: PlayContext): boolean {
    const current = this.currentTrack?.context;
    return current?.kind === context.kind && (current.id ?? null) === (context.id ?? null);
  }

  /** Plays (or resumes) the current entry; after a failure, this is the retry. */
  async play(): Promise<void> {
    const entry = this.currentEntry();
    if (!entry) return;
    if (this.engineEntry === entry.uid) return this.engine.play();
    return this.startCurrent(true, this.progress.value.position);
  }

  pause(): void {
    this.dispatch({ type: 'pause-requested' });
    if (this.engineEntry !== null) this.engine.pause();
  }

  togglePlay(): void {
    if (meantToPlay(this.playback.value)) this.pause();
    else void this.play();
  }

  /**
   * The listener skips to the next track. The server is asked first, with `skip=true`: a
   * free account past its hourly skips is refused, and then the current track plays on.
   * Any other failure moves to the next track and shows why there (the one before is silent).
   */
  async next(): Promise<void> {
    const current = this.currentEntry();
    const skipping = current !== undefined && this.engineHoldsCurrent();
    const { state, ended } = queue.next(this.queue.value, 'skip');
    const target = queue.currentEntry(state);
    if (ended || !target || !skipping) {
      this.advance('skip');
      return;
    }
    const generation = ++this.loadGeneration;
    let source: PlaybackSource;
    try {
      source = await this.sources.source(target.track.id, { skip: true });
    } catch (error) {
      if (generation !== this.loadGeneration) return;
      if (error instanceof ApiError && error.code === 'skip_limit_reached') {
        this.notices.show(skipLimitMessage(error, this.now()));
        return;
      }
      this.endPlay('skipped');
      this.setQueue(state);
      this.dispatch({ type: 'load', entry: target.uid, autoplay: true });
      this.showEntry(target, 0);
      this.onLoadFailed(target, error);
      return;
    }
    if (generation !== this.loadGeneration) return;
    this.endPlay('skipped');
    this.setQueue(state);
    await this.startCurrent(true, 0, source);
  }

  previous(): void {
    if (this.engineHoldsCurrent() && this.engine.currentTime > RESTART_THRESHOLD_SECONDS) {
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
    if (!this.engineHoldsCurrent()) {
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

  playNext(tracks: TrackSummary[], origin: PlayOrigin = {}): void {
    const wasEmpty = !this.currentTrack;
    this.setQueue(queue.playNext(this.queue.value, withOrigin(tracks, origin)));
    if (wasEmpty) void this.startCurrent(true, 0);
  }

  addToQueue(tracks: TrackSummary[], origin: PlayOrigin = {}): void {
    const wasEmpty = !this.currentTrack;
    this.setQueue(queue.addToQueue(this.queue.value, withOrigin(tracks, origin)));
    if (wasEmpty) void this.startCurrent(true, 0);
  }

  move(from: number, to: number): void {
    this.setQueue(queue.move(this.queue.value, from, to));
  }

  remove(index: number): void {
    const removingCurrent = index === this.queue.value.current;
    const wasPlaying = meantToPlay(this.playback.value);
    this.setQueue(queue.remove(this.queue.value, index));
    if (removingCurrent) void this.startCurrent(wasPlaying, 0);
  }

  /**
   * `listener` hears of the queue running out by itself: its last track ended with repeat
   * off (never a skip, a failure or a sign-out). Returns the unsubscribe.
   */
  onQueueEnded(listener: (last: QueuedTrack) => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  /** Sign-out: nothing of this listener's session stays on the device. */
  reset(): void {
    this.endPlay('skipped');
    this.loadGeneration++;
    this.engine.stop();
    this.engineEntry = null;
    this.preloadedEntry = null;
    this.prefetchedAfter = null;
    this.queue.set(queue.emptyQueue());
    this.progress.set({ position: 0, duration: 0 });
    this.dispatch({ type: 'stop' });
    forgetPlayer(this.storage);
    showTrackInMediaSession(undefined);
  }

  private currentEntry(): Entry | undefined {
    return queue.currentEntry(this.queue.value);
  }

  /** Whether the engine's playing element holds the current entry (it may hold none, or a silenced one). */
  private engineHoldsCurrent(): boolean {
    return this.engineEntry !== null && this.engineEntry === this.currentEntry()?.uid;
  }

  /** The screen and the Media Session show `entry` (none: nothing) at `position`. */
  private showEntry(entry: Entry | undefined, position: number): void {
    showTrackInMediaSession(entry?.track);
    this.progress.set({ position, duration: entry ? entry.track.duration_ms / 1000 : 0 });
  }

  private dispatch(event: PlaybackEvent): void {
    this.playback.set(nextPlaybackState(this.playback.value, event));
  }

  /** The queue changes; an element still holding an entry that is no longer current falls silent. */
  private setQueue(next: Queue): void {
    this.queue.set(next);
    if (this.engineEntry !== null && !this.engineHoldsCurrent()) this.silenceEngine();
    this.dropStalePreload();
    this.persist(true);
  }

  private silenceEngine(): void {
    this.engine.silence();
    this.engineEntry = null;
  }

  /**
   * After an edit of the queue (play next, a move, shuffle, repeat), a preloaded track that
   * no longer follows is dropped; the next time update prefetches the one that does. One
   * about to start as the current track is kept: the engine starts it from its buffer.
   */
  private dropStalePreload(): void {
    if (this.preloadedEntry === null) return;
    const current = this.currentEntry()?.uid;
    if (this.preloadedEntry === current || this.preloadedEntry === this.followingEntry()?.uid) return;
    this.engine.cancelPreload();
    this.preloadedEntry = null;
    this.prefetchedAfter = null;
  }

  /** What plays when the current track ends by itself. */
  private followingEntry(): Entry | undefined {
    const { state, ended } = queue.next(this.queue.value, 'ended');
    return ended ? undefined : queue.currentEntry(state);
  }

  /** The engine started the preloaded track where the current one ended: the queue follows. */
  private onAdvanced(): void {
    // A start under way (a skip waiting for the server) was meant for the track that ended.
    this.loadGeneration++;
    this.endPlay('completed');
    this.engineEntry = this.preloadedEntry;
    this.preloadedEntry = null;
    this.prefetchedAfter = null;
    this.setQueue(queue.next(this.queue.value, 'ended').state);
    const entry = this.currentEntry();
    this.showEntry(entry, 0);
    if (entry) this.dispatch({ type: 'load', entry: entry.uid, autoplay: true });
  }

  /** Moves on without asking: the track ended, or failed (neither is the listener's skip). */
  private advance(reason: 'ended' | 'skip'): void {
    const { state, ended } = queue.next(this.queue.value, reason);
    if (ended) {
      const entry = this.currentEntry();
      if (this.engineEntry !== null) {
        this.engine.pause();
        this.engine.seek(0);
      }
      if (entry && this.playback.value.status !== 'failed') this.dispatch({ type: 'element-paused', entry: entry.uid });
      if (entry && reason === 'ended') for (const listener of [...this.endListeners]) listener(entry.track);
      return;
    }
    this.setQueue(state);
    void this.startCurrent(true, 0);
  }

  private async startCurrent(autoplay: boolean, startAt: number, source?: PlaybackSource): Promise<void> {
    const generation = ++this.loadGeneration;
    const entry = this.currentEntry();
    // Whatever was playing before is over: the listener moved away from it.
    if (this.reportedEntry !== null && this.reportedEntry !== entry?.uid) this.endPlay('skipped');
    if (!entry) {
      showTrackInMediaSession(undefined);
      this.engine.stop();
      this.engineEntry = null;
      this.preloadedEntry = null;
      this.dispatch({ type: 'stop' });
      return;
    }
    // From now on the screen shows this entry loading: nothing else may be heard.
    if (this.engineEntry !== null) this.silenceEngine();
    this.retriedCurrentLoad = false;
    this.dispatch({ type: 'load', entry: entry.uid, autoplay });
    this.showEntry(entry, startAt);
    await this.loadStream(entry, generation, startAt, source);
  }

  private async loadStream(entry: Entry, generation: number, startAt: number, knownSource?: PlaybackSource): Promise<void> {
    let source = knownSource;
    if (source === undefined) {
      try {
        source = await this.sources.source(entry.track.id);
      } catch (error) {
        if (generation !== this.loadGeneration) return;
        this.onLoadFailed(entry, error);
        return;
      }
    }
    if (generation !== this.loadGeneration) return;
    // The engine starts a preloaded source from its buffer, or drops the preload.
    this.preloadedEntry = null;
    this.prefetchedAfter = null;
    this.engine.load(source, startAt);
    this.engineEntry = entry.uid;
    const state = this.playback.value;
    // The listener may have paused while the source was asked for.
    if (state.status === 'loading' && state.entry === entry.uid && state.autoplay) await this.engine.play();
    else this.dispatch({ type: 'element-paused', entry: entry.uid });
  }

  /** The source could not be had: a refusal (a tier, a vanished file) moves on, anything else waits for Retry. */
  private onLoadFailed(entry: Entry, error: unknown): void {
    const apiError = error instanceof ApiError ? error : null;
    if (apiError && !apiError.isNetworkFailure && apiError.status >= 400 && apiError.status < 500) {
      this.failAndMoveOn(entry, apiError.message);
      return;
    }
    this.failAndStay(entry, apiError?.message ?? 'The track could not be loaded.');
  }

  /** Not the track's fault (the network, the server): it stays, silent, with its reason and Retry. */
  private failAndStay(entry: Entry, reason: string): void {
    this.silenceEngine();
    this.dispatch({ type: 'failed', entry: entry.uid, message: reason, retryable: true });
  }

  /** The track cannot be played: say why on it, then play the next one, unless none of the queue can. */
  private failAndMoveOn(entry: Entry, reason: string): void {
    this.silenceEngine();
    this.endPlay('error');
    this.firstFailure ??= { entry: entry.uid, message: reason };
    this.dispatch({ type: 'failed', entry: entry.uid, message: reason, retryable: false });
    this.consecutiveFailures += 1;
    const message = `Can't play “${entry.track.title}”: ${withFullStop(reason)}`;
    const othersLeft = this.consecutiveFailures < this.queue.value.entries.length && !queue.next(this.queue.value, 'skip').ended;
    if (othersLeft) {
      this.notices.show(`${message} Skipping to the next track.`);
      this.advance('skip');
      return;
    }
    // Shown on the track the listener chose, not on wherever the skipping stopped.
    const first = this.firstFailure;
    const firstIndex = this.queue.value.entries.findIndex((candidate) => candidate.uid === first.entry);
    if (firstIndex >= 0 && firstIndex !== this.queue.value.current) {
      this.setQueue(queue.jumpTo(this.queue.value, firstIndex));
      this.showEntry(this.currentEntry(), 0);
      this.dispatch({ type: 'load', entry: first.entry, autoplay: false });
      this.dispatch({ type: 'failed', entry: first.entry, message: first.message, retryable: false });
    }
    const chosenTitle = this.currentEntry()?.track.title ?? entry.track.title;
    this.notices.show(`Can't play “${chosenTitle}”: ${withFullStop(first.message)} No other track in the queue can be played.`);
  }

  private onEngineEvent(event: EngineEvent): void {
    const entry = this.engineEntry;
    // The engine holds nothing, or an entry no longer current (silenced): nothing it says counts.
    if (entry === null || entry !== this.currentEntry()?.uid) return;
    switch (event.type) {
      case 'waiting':
        this.dispatch({ type: 'element-waiting', entry });
        break;
      case 'playing':
        this.consecutiveFailures = 0;
        this.firstFailure = null;
        this.dispatch({ type: 'element-playing', entry });
        this.beginPlay();
        this.showPlayback();
        break;
      case 'paused':
        this.reporter?.interrupt();
        this.dispatch({ type: 'element-paused', entry });
        this.showPlayback();
        this.persist(true);
        break;
      case 'time':
        this.progress.set({ position: event.currentTime, duration: event.duration || this.progress.value.duration });
        this.reporter?.position(event.currentTime, this.playback.value.status === 'playing');
        this.persist(false);
        this.prefetchNext(event.currentTime, event.duration);
        this.warmNext(event.currentTime);
        break;
      case 'ended':
        this.endPlay('completed');
        this.advance('ended');
        break;
      case 'advanced':
        this.onAdvanced();
        break;
      case 'error':
        this.onPlaybackError(this.currentEntry()!, event);
        break;
    }
  }

  private onPlaybackError(entry: Entry, failure: PlaybackFailure): void {
    const { reason } = failure;
    if (failure.reason === 'refused') {
      this.failAndMoveOn(entry, failure.message);
      return;
    }
    if (reason === 'autoplay-blocked') {
      this.dispatch({ type: 'element-paused', entry: entry.uid });
      return;
    }
    if ((reason === 'network' || reason === 'unsupported') && !this.retriedCurrentLoad) {
      // An expired link or a dropped connection: fetch a fresh link and resume where we were.
      this.retriedCurrentLoad = true;
      const generation = ++this.loadGeneration;
      this.dispatch({ type: 'load', entry: entry.uid, autoplay: true });
      void this.loadStream(entry, generation, this.progress.value.position);
      return;
    }
    if (reason === 'network') {
      this.failAndStay(entry, 'The connection was lost while it played.');
      return;
    }
    this.failAndMoveOn(entry, reason === 'decode' ? 'the file could not be decoded.' : 'the stream failed.');
  }

  /** Near the end of a track, the one that will follow it is resolved and handed to the engine to buffer. */
  private prefetchNext(position: number, duration: number): void {
    const entry = this.currentEntry();
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

  /** A few seconds into a track: the start of the one a skip would go to is fetched ahead. */
  private warmNext(position: number): void {
    const entry = this.currentEntry();
    if (!entry || position < WARM_NEXT_AFTER_SECONDS || this.warmedAfter === entry.uid) return;
    const { state, ended } = queue.next(this.queue.value, 'skip');
    const target = queue.currentEntry(state);
    if (ended || !target || target.uid === entry.uid) return;
    this.warmedAfter = entry.uid;
    void this.sources.warm(target.track.id, { firstSegment: true });
  }

  /** The first `playing` of a queue entry starts a play; resuming after a pause does not. */
  private beginPlay(): void {
    const entry = this.currentEntry();
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
    showPlaybackInMediaSession(this.playback.value.status === 'playing', this.engine.currentTime, this.engine.duration);
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

/** Server messages end with a full stop, the app's own reasons may not. */
function withFullStop(sentence: string): string {
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

function withOrigin(tracks: TrackSummary[], { context, from }: PlayOrigin): QueuedTrack[] {
  if (!context && from === undefined) return tracks;
  return tracks.map((track) => ({ ...track, ...(context ? { context } : {}), ...(from === undefined ? {} : { from }) }));
}

/** "You can skip again at 14:32 (in 12 min)": when, as a clock time and as a wait. */
export function skipLimitMessage(error: ApiError, now: number): string {
  const waitSeconds = error.retryAfterSeconds ?? 3600;
  const minutes = Math.max(1, Math.ceil(waitSeconds / 60));
  const at = new Date(now + waitSeconds * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return `You've used this hour's skips on the free plan. You can skip again at ${at} (in ${minutes} min). Premium skips without limit.`;
}
