import { describe, expect, it } from 'vitest';
import { ManualTimers } from '../shared/testing/manual-timers';
import { AudioEngine, HANDOVER_LEAD_SECONDS, type EngineEvent, type PlaybackFailure, type PlaybackSource, type SourceAttacher } from './audio-engine';

/** The parts of a media element the engine uses; events are dispatched by the test. */
class FakeMediaElement extends EventTarget {
  id = '';
  preload = '';
  volume = 1;
  currentTime = 0;
  duration = Number.NaN;
  paused = true;
  ended = false;
  seeking = false;
  playbackRate = 1;
  error = null;
  attached: string | null = null;

  async play() {
    this.paused = false;
    this.ended = false;
    // As in a browser: the event comes after play() returned.
    setTimeout(() => this.fire('playing'), 0);
  }
  pause() {
    this.paused = true;
  }
  fire(type: string) {
    this.dispatchEvent(new Event(type));
  }
  /** Plays on to `seconds` with the given length. */
  at(seconds: number, duration: number) {
    this.currentTime = seconds;
    this.duration = duration;
    this.fire('timeupdate');
  }
  /** What the element does at its end: a pause, then `ended`. */
  runOut() {
    this.currentTime = this.duration;
    this.paused = true;
    this.ended = true;
    this.fire('pause');
    this.fire('ended');
  }
}

/** Attaches by writing the source's URL on the element, so the test sees what is where. */
class RecordingAttacher implements SourceAttacher {
  readonly startOffset = 0;
  failWith: ((failure: PlaybackFailure) => void) | null = null;
  attach(element: HTMLMediaElement, source: PlaybackSource, _startAt: number, fail: (failure: PlaybackFailure) => void) {
    (element as unknown as FakeMediaElement).attached = source.url;
    this.failWith = fail;
  }
  detach(element: HTMLMediaElement) {
    const fake = element as unknown as FakeMediaElement;
    fake.attached = null;
    fake.paused = true;
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const track = (url: string): PlaybackSource => ({ kind: 'hls', url });

function setUp() {
  const first = new FakeMediaElement();
  const second = new FakeMediaElement();
  first.id = 'tonearm-audio';
  second.id = 'tonearm-audio-next';
  const attachers = [new RecordingAttacher(), new RecordingAttacher()];
  const timers = new ManualTimers();
  const engine = new AudioEngine(
    [first as unknown as HTMLMediaElement, second as unknown as HTMLMediaElement],
    (_source, deck) => attachers[deck]!,
    { setTimer: timers.set, clearTimer: timers.clear },
  );
  const events: EngineEvent['type'][] = [];
  engine.on((event) => event.type !== 'time' && events.push(event.type));
  return { first, second, attachers, timers, engine, events };
}

/** The first track playing on the first element, the second preloaded on the other. */
async function playingWithNextPreloaded() {
  const setup = setUp();
  setup.engine.load(track('/one'));
  await setup.engine.play();
  await settle();
  setup.first.at(170, 180);
  setup.engine.preload(track('/two'));
  setup.events.length = 0;
  return setup;
}

describe('audio engine: the hand-over between tracks', () => {
  it('buffers the next track on the idle element and starts it just before the current one ends', async () => {
    const { first, second, timers, engine, events } = await playingWithNextPreloaded();
    expect(second.attached).toBe('/two');
    expect(second.paused).toBe(true);
    expect(timers.pending).toHaveLength(0); // not yet within the last second

    first.at(179.5, 180);
    expect(timers.pending).toHaveLength(1);
    expect(timers.pending[0]!.ms).toBeCloseTo((0.5 - HANDOVER_LEAD_SECONDS) * 1000, 6);
    first.at(179.75, 180); // one timer, not one per time update
    expect(timers.pending).toHaveLength(1);

    timers.fireNext();
    await settle();
    expect(second.paused).toBe(false);
    expect(events).toEqual(['advanced', 'playing']);
    expect(engine.element).toBe(second);
    expect([second.id, first.id]).toEqual(['tonearm-audio', 'tonearm-audio-next']);
    // The previous track plays out its last milliseconds, then lets go of its element.
    expect(first.attached).toBe('/one');
    first.runOut();
    expect(first.attached).toBeNull();
    expect(events).toEqual(['advanced', 'playing']);
  });

  it('hands over on `ended` when no timer came first, with no pause or end for the player', async () => {
    const { first, second, events } = await playingWithNextPreloaded();
    first.runOut();
    await settle();
    expect(events).toEqual(['advanced', 'playing']);
    expect(second.paused).toBe(false);
    expect(first.attached).toBeNull();
  });

  it('without a preloaded track the end is the player’s to handle', async () => {
    const { first, engine, events } = setUp();
    engine.load(track('/one'));
    await engine.play();
    await settle();
    events.length = 0;
    first.at(179.9, 180);
    first.runOut();
    expect(events).toEqual(['paused', 'ended']);
  });

  it('a pause or a seek near the end cancels the timed start; playing on sets it again', async () => {
    const { first, timers, engine } = await playingWithNextPreloaded();
    first.at(179.5, 180);
    engine.pause();
    first.fire('pause');
    expect(timers.pending).toHaveLength(0);
    await engine.play();
    await settle();
    expect(timers.pending).toHaveLength(1);
    first.seeking = true;
    first.fire('seeking');
    expect(timers.pending).toHaveLength(0);
  });

  it('loading the preloaded source starts it from its buffer; another source drops the preload', async () => {
    const { first, second, attachers, engine } = await playingWithNextPreloaded();
    engine.load(track('/two'));
    expect(engine.element).toBe(second);
    expect(second.attached).toBe('/two');
    expect(first.attached).toBeNull();

    engine.preload(track('/three'));
    expect(first.attached).toBe('/three');
    engine.load(track('/four'));
    expect(engine.element).toBe(second);
    expect(second.attached).toBe('/four');
    expect(first.attached).toBeNull();
    expect(attachers.length).toBe(2);
  });

  it('ignores what the idle element does, and drops a preload that fails without a word', async () => {
    const { first, second, attachers, timers, events } = await playingWithNextPreloaded();
    second.fire('playing');
    second.fire('pause');
    second.at(3, 200);
    expect(events).toEqual([]);
    attachers[1]!.failWith?.({ reason: 'network' });
    expect(second.attached).toBeNull();
    first.at(179.5, 180);
    expect(timers.pending).toHaveLength(0);
    first.runOut();
    expect(events).toEqual(['paused', 'ended']);
  });

  it('a preload while the previous track plays out its end cuts that short', async () => {
    const { first, second, timers, engine } = await playingWithNextPreloaded();
    first.at(179.5, 180);
    timers.fireNext();
    engine.preload(track('/three'));
    expect(first.attached).toBe('/three');
    expect(second.attached).toBe('/two');
  });

  it('silence stops what plays at once, without a pause event, and keeps the preload to start from its buffer', async () => {
    const { first, second, timers, engine, events } = await playingWithNextPreloaded();
    first.at(179.5, 180);
    engine.silence();
    expect(first.attached).toBeNull();
    expect(first.paused).toBe(true);
    expect(timers.pending).toHaveLength(0);
    expect(engine.hasSource).toBe(false);
    expect(events).toEqual([]);
    engine.load(track('/two'));
    expect(engine.element).toBe(second);
    expect(second.attached).toBe('/two');
  });
});
