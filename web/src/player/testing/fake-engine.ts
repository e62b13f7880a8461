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
  on(listener: (event: EngineEvent) => void) {
    this.listener = listener;
    return () => undefined;
  }
  emit(event: EngineEvent) {
    this.listener?.(event);
  }
  load(source: PlaybackSource, startAt = 0) {
    this.loaded.push({ source, startAt });
  }
  preload(source: PlaybackSource) {
    this.preloaded = source;
  }
  cancelPreload() {
    if (this.preloaded) this.cancelledPreloads += 1;
    this.preloaded = null;
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
  }
  get hasSource() {
    return this.loaded.length > 0;
  }
}
