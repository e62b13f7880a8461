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
  | { type: 'loading' }
  | { type: 'playing' }
  | { type: 'paused' }
  | { type: 'time'; currentTime: number; duration: number }
  | { type: 'ended' }
  | ({ type: 'error' } & PlaybackFailure);

/** What the player needs from an engine: `AudioEngine` in the browser, a fake in tests. */
export interface PlaybackEngine {
  on(listener: (event: EngineEvent) => void): () => void;
  load(source: PlaybackSource, startAt?: number): void;
  play(): Promise<void>;
  pause(): void;
  seek(seconds: number): void;
  setVolume(volume: number): void;
  stop(): void;
  readonly currentTime: number;
  readonly duration: number;
  readonly hasSource: boolean;
}

export class AudioEngine implements PlaybackEngine {
  private listeners = new Set<(event: EngineEvent) => void>();
  private attached: SourceAttacher | null = null;

  constructor(
    readonly element: HTMLAudioElement,
    private readonly attacherFor: (source: PlaybackSource) => SourceAttacher,
  ) {
    element.preload = 'auto';
    const emitTime = () => this.emit({ type: 'time', currentTime: this.currentTime, duration: this.duration });
    element.addEventListener('timeupdate', emitTime);
    element.addEventListener('durationchange', emitTime);
    element.addEventListener('seeked', emitTime);
    element.addEventListener('waiting', () => this.emit({ type: 'loading' }));
    element.addEventListener('playing', () => this.emit({ type: 'playing' }));
    element.addEventListener('pause', () => this.emit({ type: 'paused' }));
    element.addEventListener('ended', () => this.emit({ type: 'ended' }));
    element.addEventListener('error', () => this.emit({ type: 'error', reason: mediaErrorReason(element.error) }));
  }

  on(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Replaces the current source; starts at `startAt` seconds of the track. */
  load(source: PlaybackSource, startAt = 0): void {
    this.attached?.detach(this.element);
    const attacher = this.attacherFor(source);
    this.attached = attacher;
    this.emit({ type: 'loading' });
    attacher.attach(this.element, source, startAt, (failure) => {
      if (this.attached === attacher) this.emit({ type: 'error', ...failure });
    });
  }

  async play(): Promise<void> {
    try {
      await this.element.play();
    } catch (error) {
      // A new load() interrupts a pending play(): not an error worth reporting.
      if (error instanceof DOMException && error.name === 'AbortError') return;
      if (error instanceof DOMException && error.name === 'NotAllowedError') {
        this.emit({ type: 'error', reason: 'autoplay-blocked' });
        return;
      }
      throw error;
    }
  }

  pause(): void {
    this.element.pause();
  }

  seek(seconds: number): void {
    const duration = this.duration;
    const offset = this.attached?.startOffset ?? 0;
    this.element.currentTime = offset + Math.max(0, duration > 0 ? Math.min(seconds, duration) : seconds);
  }

  setVolume(volume: number): void {
    this.element.volume = Math.min(1, Math.max(0, volume));
  }

  stop(): void {
    this.element.pause();
    this.attached?.detach(this.element);
    this.attached = null;
  }

  get currentTime(): number {
    return Math.max(0, this.element.currentTime - (this.attached?.startOffset ?? 0));
  }

  get duration(): number {
    if (!Number.isFinite(this.element.duration)) return 0;
    return Math.max(0, this.element.duration - (this.attached?.startOffset ?? 0));
  }

  get paused(): boolean {
    return this.element.paused;
  }

  get hasSource(): boolean {
    return this.attached !== null;
  }

  private emit(event: EngineEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }
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
