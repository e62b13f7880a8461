import type { EngineEvent, PlaybackEngine, PlaybackSource } from '../audio-engine';

/** Records what the player asks of the engine and lets the test emit engine events. */
export class FakeEngine implements PlaybackEngine {
  loaded: { source: PlaybackSource; startAt: number }[] = [];
  preloaded: PlaybackSource | null = null;
  cancelledPreloads = 0;
  playing = false;
  currentTime = 0;
  duration = 0;
  private listener: ((event: EngineEvent) => void) | null = null;
  /** Whether a source is attached (loaded, and neither silenced nor stopped since). */
  private holding = false;
  on(listener: (event: EngineEvent) => void) {
    this.listener = listener;
    return () => undefined;
  }
  emit(event: EngineEvent) {
    this.listener?.(event);
  }
  load(source: PlaybackSource, startAt = 0) {
    this.loaded.push({ source, startAt });
    this.holding = true;
  }
  preload(source: PlaybackSource) {
    this.preloaded = source;
  }
  cancelPreload() {
    if (this.preloaded) this.cancelledPreloads += 1;
    this.preloaded = null;
  }
  /** How often the player silenced what played (a load moved elsewhere, a failure). */
  silenced = 0;
  silence() {
    this.playing = false;
    this.silenced += 1;
    this.holding = false;
  }
  async play() {
    this.playing = true;
    this.emit({ type: 'playing' });
  }
  pause() {
    this.playing = false;
  }
  seek(seconds: number) {
    this.currentTime = seconds;
  }
  setVolume() {}
  stop() {
    this.playing = false;
    this.loaded = [];
    this.holding = false;
  }
  get hasSource() {
    return this.holding;
  }
}
