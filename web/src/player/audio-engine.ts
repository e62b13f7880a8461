/**
 * The audio pipeline as a plain class: load a source, play, pause, seek, volume, events.
 * It knows nothing about queues, the API or the UI. Sources are attached by a strategy so
 * HLS (hls.js on Media Source Extensions, issue 4) can be added beside progressive streams
 * without touching the rest of the player.
 */

/** What to play. Only progressive streams exist on the server today. */
export type PlaybackSource = { kind: 'progressive'; url: string };

/** Attaches one kind of source to the media element, and detaches it again. */
export interface SourceAttacher {
  attach(element: HTMLMediaElement, source: PlaybackSource): void;
  detach(element: HTMLMediaElement): void;
}

/** `<audio src>`: the browser streams the file with range requests. */
export const progressiveAttacher: SourceAttacher = {
  attach(element, source) {
    element.src = source.url;
    element.load();
  },
  detach(element) {
    element.removeAttribute('src');
    element.load();
  },
};

export type EngineEvent =
  | { type: 'loading' }
  | { type: 'playing' }
  | { type: 'paused' }
  | { type: 'time'; currentTime: number; duration: number }
  | { type: 'ended' }
  | { type: 'error'; reason: 'network' | 'decode' | 'unsupported' | 'autoplay-blocked' | 'unknown' };

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
  /** The seek waiting for the current source's metadata; dropped when another source loads. */
  private pendingStartSeek: (() => void) | null = null;

  constructor(
    readonly element: HTMLAudioElement,
    private readonly attacherFor: (source: PlaybackSource) => SourceAttacher = () => progressiveAttacher,
  ) {
    element.preload = 'auto';
    const emitTime = () => this.emit({ type: 'time', currentTime: element.currentTime, duration: this.duration });
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

  /** Replaces the current source; starts at `startAt` seconds once metadata is known. */
  load(source: PlaybackSource, startAt = 0): void {
    this.cancelPendingSeek();
    this.attached?.detach(this.element);
    this.attached = this.attacherFor(source);
    this.emit({ type: 'loading' });
    this.attached.attach(this.element, source);
    if (startAt > 0) {
      const seekWhenReady = () => {
        this.pendingStartSeek = null;
        this.element.currentTime = startAt;
      };
      this.pendingStartSeek = seekWhenReady;
      this.element.addEventListener('loadedmetadata', seekWhenReady, { once: true });
    }
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
    this.element.currentTime = Math.max(0, duration > 0 ? Math.min(seconds, duration) : seconds);
  }

  setVolume(volume: number): void {
    this.element.volume = Math.min(1, Math.max(0, volume));
  }

  stop(): void {
    this.cancelPendingSeek();
    this.element.pause();
    this.attached?.detach(this.element);
    this.attached = null;
  }

  get currentTime(): number {
    return this.element.currentTime;
  }

  get duration(): number {
    return Number.isFinite(this.element.duration) ? this.element.duration : 0;
  }

  get paused(): boolean {
    return this.element.paused;
  }

  get hasSource(): boolean {
    return this.attached !== null;
  }

  private cancelPendingSeek(): void {
    if (this.pendingStartSeek) this.element.removeEventListener('loadedmetadata', this.pendingStartSeek);
    this.pendingStartSeek = null;
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
