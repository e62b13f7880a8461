/**
 * The audio pipeline as a plain class: load a source, play, pause, seek, volume, events.
 * It knows nothing about queues, the API or the UI. Sources are attached by a strategy:
 * progressive files through `<audio src>`, HLS through hls.js (`hls-attacher.ts`).
 */

/** What to play: a signed link to a file, or the (public) master playlist of a track's HLS renditions. */
export type PlaybackSource = { kind: 'progressive'; url: string } | { kind: 'hls'; url: string };

/** Why playback failed; `refused` carries the server's reason (a tier, a premium-only release). */
export type PlaybackFailure =
  | { reason: 'network' | 'decode' | 'unsupported' | 'autoplay-blocked' | 'unknown' }
  | { reason: 'refused'; message: string };

/** Attaches one kind of source to the media element, and detaches it again. */
export interface SourceAttacher {
  /**
   * Starts `source` at `startAt` seconds of the track. `fail` reports failures the element
   * itself does not (a player library's own loads).
   */
  attach(element: HTMLMediaElement, source: PlaybackSource, startAt: number, fail: (failure: PlaybackFailure) => void): void;
  detach(element: HTMLMediaElement): void;
  /**
   * Seconds of media before the track's first frame that the element plays: encoder priming
   * the browser left in (hls.js ignores edit lists; whether MSE applies them depends on the
   * browser). The engine hides it: times and seeks are the track's own.
   */
  readonly startOffset: number;
}

/** `<audio src>`: the browser streams the file with range requests. */
export class ProgressiveAttacher implements SourceAttacher {
  /** Browsers apply a file's own gapless information (edit lists, LAME headers). */
  readonly startOffset = 0;
  /** The seek waiting for the source's metadata; dropped when the source goes. */
  private pendingStartSeek: (() => void) | null = null;

  attach(element: HTMLMediaElement, source: PlaybackSource, startAt: number): void {
    element.src = source.url;
    element.load();
    if (startAt <= 0) return;
    const seekWhenReady = () => {
      this.pendingStartSeek = null;
      element.currentTime = startAt;
    };
    this.pendingStartSeek = seekWhenReady;
    element.addEventListener('loadedmetadata', seekWhenReady, { once: true });
  }

  detach(element: HTMLMediaElement): void {
    if (this.pendingStartSeek) element.removeEventListener('loadedmetadata', this.pendingStartSeek);
    this.pendingStartSeek = null;
    element.removeAttribute('src');
    element.load();
  }
}

export type EngineEvent =
  /** The element waits for data it needs to go on (a stall, a seek, a start). */
  | { type: 'waiting' }
  | { type: 'playing' }
  | { type: 'paused' }
  | { type: 'time'; currentTime: number; duration: number }
  | { type: 'ended' }
  /** The track ended and the one given to `preload` took over, without a gap. */
  | { type: 'advanced' }
  | ({ type: 'error' } & PlaybackFailure);

/** What the player needs from an engine: `AudioEngine` in the browser, a fake in tests. */
export interface PlaybackEngine {
  on(listener: (event: EngineEvent) => void): () => void;
  /** Replaces what plays; a source given to `preload` before starts at once from its buffer. */
  load(source: PlaybackSource, startAt?: number): void;
  /** Buffers the track that follows, to start it where the playing one ends (`advanced`). */
  preload(source: PlaybackSource): void;
  cancelPreload(): void;
  /**
   * Stops what plays at once, without a `paused` event, and forgets its source; a preload
   * stays (the track about to start may be the preloaded one).
   */
  silence(): void;
  play(): Promise<void>;
  pause(): void;
  seek(seconds: number): void;
  setVolume(volume: number): void;
  stop(): void;
  readonly currentTime: number;
  readonly duration: number;
  readonly hasSource: boolean;
}

export interface EngineTimers {
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/**
 * How long before the playing track's end the next one is told to play. Measured in
 * Chromium with two continuous tones through the silence meter of the e2e: an element with
 * its data buffered sounds within 0–3 ms of `play()`, and a timer may fire a few ms late
 * on a busy phone; 10 ms covers both and overlaps the tracks by less than that, where
 * reloading one element left 20–40 ms of silence (a progressive file) and rebuilding
 * hls.js's MediaSource 25–300 ms.
 */
export const HANDOVER_LEAD_SECONDS = 0.01;
/**
 * Within this much of the end the start of the next track is timed by a timer: `timeupdate`
 * comes only every 15–250 ms (HTML's "current playback position" steps), too coarse alone.
 */
const HANDOVER_WINDOW_SECONDS = 1;

/** One media element and what is attached to it. */
interface Deck {
  readonly index: 0 | 1;
  readonly element: HTMLMediaElement;
  attacher: SourceAttacher | null;
  source: PlaybackSource | null;
}

/**
 * Two media elements, so that tracks change without a gap, as gapless web players do: the
 * next track is attached and buffered on the idle element while the current one plays, and
 * started 10 ms before the current one ends (`HANDOVER_LEAD_SECONDS`), by a
 * timer set within the last second, or at the latest on `ended`. The elements then swap
 * roles, and their ids: the one playing always carries the first element's id. A track
 * that is not preloaded replaces the active element's source as before.
 */
export class AudioEngine implements PlaybackEngine {
  private listeners = new Set<(event: EngineEvent) => void>();
  private active: Deck;
  private idle: Deck;
  /** Whether the idle deck holds the next track (rather than nothing, or a track playing out). */
  private preloaded = false;
  private handoverTimer: unknown = null;

  constructor(
    elements: readonly [HTMLMediaElement, HTMLMediaElement],
    private readonly attacherFor: (source: PlaybackSource, deck: 0 | 1) => SourceAttacher,
    private readonly timers: EngineTimers = { setTimer: (callback, ms) => setTimeout(callback, ms), clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>) },
  ) {
    const [first, second] = elements;
    this.active = { index: 0, element: first, attacher: null, source: null };
    this.idle = { index: 1, element: second, attacher: null, source: null };
    for (const deck of [this.active, this.idle]) {
      deck.element.preload = 'auto';
      this.listen(deck);
    }
  }

  /** The element playing (or about to): for tests and tools, also the one with the first id. */
  get element(): HTMLMediaElement {
    return this.active.element;
  }

  on(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Replaces the current source; starts at `startAt` seconds of the track. */
  load(source: PlaybackSource, startAt = 0): void {
    this.cancelHandover();
    this.release(this.active);
    const ready = this.preloaded && startAt === 0 && sameSource(this.idle.source, source);
    this.preloaded = false;
    if (ready) {
      this.swapDecks();
      this.emitTime();
      return;
    }
    this.release(this.idle);
    this.attach(this.active, source, startAt, (failure) => this.emit({ type: 'error', ...failure }));
  }

  preload(source: PlaybackSource): void {
    this.cancelHandover();
    // Also cuts short a previous track still playing out its last milliseconds.
    this.release(this.idle);
    const deck = this.idle;
    this.preloaded = true;
    // A preload that fails is dropped quietly: the track's own start asks again and explains.
    this.attach(deck, source, 0, () => deck === this.idle && this.cancelPreload());
    this.scheduleHandover();
  }

  cancelPreload(): void {
    if (!this.preloaded) return;
    this.cancelHandover();
    this.preloaded = false;
    this.release(this.idle);
  }

  silence(): void {
    this.cancelHandover();
    this.release(this.active);
  }

  async play(): Promise<void> {
    return this.start(this.active.element);
  }

  pause(): void {
    this.active.element.pause();
  }

  seek(seconds: number): void {
    const duration = this.duration;
    const offset = this.active.attacher?.startOffset ?? 0;
    this.active.element.currentTime = offset + Math.max(0, duration > 0 ? Math.min(seconds, duration) : seconds);
  }

  setVolume(volume: number): void {
    const clamped = Math.min(1, Math.max(0, volume));
    this.active.element.volume = clamped;
    this.idle.element.volume = clamped;
  }

  stop(): void {
    this.cancelHandover();
    this.preloaded = false;
    this.active.element.pause();
    this.release(this.active);
    this.release(this.idle);
  }

  get currentTime(): number {
    return Math.max(0, this.active.element.currentTime - (this.active.attacher?.startOffset ?? 0));
  }

  get duration(): number {
    if (!Number.isFinite(this.active.element.duration)) return 0;
    return Math.max(0, this.active.element.duration - (this.active.attacher?.startOffset ?? 0));
  }

  get paused(): boolean {
    return this.active.element.paused;
  }

  get hasSource(): boolean {
    return this.active.attacher !== null;
  }

  private listen(deck: Deck): void {
    const { element } = deck;
    const whileActive = (handler: () => void) => () => deck === this.active && handler();
    element.addEventListener('timeupdate', whileActive(() => {
      this.emitTime();
      this.scheduleHandover();
    }));
    element.addEventListener('durationchange', whileActive(() => this.emitTime()));
    element.addEventListener('seeking', whileActive(() => this.cancelHandover()));
    element.addEventListener('seeked', whileActive(() => {
      this.emitTime();
      this.scheduleHandover();
    }));
    element.addEventListener('waiting', whileActive(() => {
      this.cancelHandover();
      this.emit({ type: 'waiting' });
    }));
    element.addEventListener('playing', whileActive(() => {
      this.emit({ type: 'playing' });
      this.scheduleHandover();
    }));
    element.addEventListener('pause', whileActive(() => {
      this.cancelHandover();
      // At its end the element pauses, then ends: with the next track ready, that is no pause.
      if (!(element.ended && this.preloaded)) this.emit({ type: 'paused' });
    }));
    element.addEventListener('ended', () => this.onEnded(deck));
    element.addEventListener('error', () => {
      if (deck === this.active) this.emit({ type: 'error', reason: mediaErrorReason(element.error) });
      else if (this.preloaded) this.cancelPreload();
    });
  }

  private onEnded(deck: Deck): void {
    if (deck !== this.active) {
      // The previous track, started over by the next one a few milliseconds early, is done.
      if (!this.preloaded) this.release(deck);
      return;
    }
    // The timer did not come first (a throttled tab, a seek into the last milliseconds).
    if (this.preloaded) this.handOver();
    else this.emit({ type: 'ended' });
  }

  /**
   * Within the last second of the playing track, with the next one preloaded: a timer to
   * start the next one `HANDOVER_LEAD_SECONDS` before the end. Pauses, seeks and stalls
   * cancel it; the next `timeupdate` sets it again.
   */
  private scheduleHandover(): void {
    if (!this.preloaded || this.handoverTimer !== null) return;
    const element = this.active.element;
    if (element.paused || element.seeking) return;
    const remaining = (element.duration - element.currentTime) / (element.playbackRate || 1);
    if (!Number.isFinite(remaining) || remaining > HANDOVER_WINDOW_SECONDS) return;
    this.handoverTimer = this.timers.setTimer(() => {
      this.handoverTimer = null;
      this.handOver();
    }, Math.max(0, (remaining - HANDOVER_LEAD_SECONDS) * 1000));
  }

  private cancelHandover(): void {
    if (this.handoverTimer === null) return;
    this.timers.clearTimer(this.handoverTimer);
    this.handoverTimer = null;
  }

  /** The preloaded track plays; the one before plays out its last milliseconds, then is released. */
  private handOver(): void {
    this.cancelHandover();
    if (!this.preloaded) return;
    this.preloaded = false;
    const previous = this.active;
    this.swapDecks();
    this.start(this.active.element).catch(() => this.emit({ type: 'error', reason: 'unknown' }));
    if (previous.element.ended || previous.element.paused) this.release(previous);
    this.emit({ type: 'advanced' });
    this.emitTime();
  }

  private swapDecks(): void {
    [this.active, this.idle] = [this.idle, this.active];
    const activeId = this.idle.element.id;
    this.idle.element.id = this.active.element.id;
    this.active.element.id = activeId;
  }

  private attach(deck: Deck, source: PlaybackSource, startAt: number, fail: (failure: PlaybackFailure) => void): void {
    const attacher = this.attacherFor(source, deck.index);
    deck.attacher = attacher;
    deck.source = source;
    attacher.attach(deck.element, source, startAt, (failure) => {
      if (deck.attacher === attacher) fail(failure);
    });
  }

  private release(deck: Deck): void {
    if (!deck.attacher) return;
    // Detaching stops the element without a `pause` event (which would read as the listener's).
    deck.attacher.detach(deck.element);
    deck.attacher = null;
    deck.source = null;
  }

  private async start(element: HTMLMediaElement): Promise<void> {
    try {
      await element.play();
    } catch (error) {
      // A new load() interrupts a pending play(): not an error worth reporting.
      if (error instanceof DOMException && error.name === 'AbortError') return;
      if (error instanceof DOMException && error.name === 'NotAllowedError') {
        if (element === this.active.element) this.emit({ type: 'error', reason: 'autoplay-blocked' });
        return;
      }
      throw error;
    }
  }

  private emitTime(): void {
    this.emit({ type: 'time', currentTime: this.currentTime, duration: this.duration });
  }

  private emit(event: EngineEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}

function sameSource(a: PlaybackSource | null, b: PlaybackSource): boolean {
  return a !== null && a.kind === b.kind && a.url === b.url;
}

function mediaErrorReason(error: MediaError | null): 'network' | 'decode' | 'unsupported' | 'unknown' {
  switch (error?.code) {
    case MediaError.MEDIA_ERR_NETWORK:
      return 'network';
    case MediaError.MEDIA_ERR_DECODE:
      return 'decode';
    case MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED:
      return 'unsupported';
    default:
      return 'unknown';
  }
}
