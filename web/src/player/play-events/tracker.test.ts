import { describe, expect, it } from 'vitest';
import type { PlayEvent } from '../../shared/api/tonearm';
import { PROGRESS_EVERY_MS, PlayTracker } from './tracker';

function setUp() {
  const events: PlayEvent[] = [];
  let id = 0;
  const tracker = new PlayTracker((event) => events.push(event), () => `e${++id}`, () => 1_700_000_000_000);
  return { tracker, events };
}

/** Plays from `from` to `to` seconds in 250 ms steps, as `timeupdate` would report. */
function play(tracker: PlayTracker, from: number, to: number) {
  for (let at = from; at <= to + 1e-9; at += 0.25) tracker.position(at, true);
}

describe('PlayTracker', () => {
  it('reports a start, then the end with the time heard, the reason and the context', () => {
    const { tracker, events } = setUp();
    tracker.start(7, { kind: 'search', id: 'kitchn' });
    play(tracker, 0, 12);
    tracker.end('skipped');
    expect(events.map((event) => [event.kind, event.ms_played, event.reason])).toEqual([
      ['play_start', 0, null],
      ['play_end', 12_000, 'skipped'],
    ]);
    expect(events.every((event) => event.track_id === 7 && event.context?.kind === 'search')).toBe(true);
    expect(new Set(events.map((event) => event.id)).size).toBe(2);
  });

  it('counts neither seeks nor time while paused', () => {
    const { tracker, events } = setUp();
    tracker.start(1, null);
    play(tracker, 0, 5);
    tracker.position(90, true); // seeked forward
    play(tracker, 90, 95);
    tracker.interrupt();
    tracker.position(95, false);
    tracker.position(96, false);
    tracker.position(30, true); // seeked back while paused, then resumed
    play(tracker, 30, 32);
    tracker.end('completed');
    expect(events.at(-1)?.ms_played).toBe(12_000);
  });

  it('writes progress every 30 s heard, and at a checkpoint only when something new was heard', () => {
    const { tracker, events } = setUp();
    tracker.start(1, null);
    play(tracker, 0, 65);
    expect(events.filter((event) => event.kind === 'play_progress').map((event) => event.ms_played)).toEqual([PROGRESS_EVERY_MS, 2 * PROGRESS_EVERY_MS]);
    tracker.checkpoint();
    tracker.checkpoint();
    expect(events.filter((event) => event.kind === 'play_progress').map((event) => event.ms_played)).toEqual([30_000, 60_000, 65_000]);
  });

  it('ends a play left open when the next one starts', () => {
    const { tracker, events } = setUp();
    tracker.start(1, null);
    tracker.start(2, null);
    expect(events.map((event) => `${event.kind}:${event.track_id}`)).toEqual(['play_start:1', 'play_end:1', 'play_start:2']);
    expect(events[1]?.reason).toBe('skipped');
  });
});
