import { describe, expect, it } from 'vitest';
import { IDLE, meantToPlay, nextPlaybackState, waitingForSound, type PlaybackEvent, type PlaybackState } from './playback-state';

const loading: PlaybackState = { status: 'loading', entry: 'a', autoplay: true };
const loadingPaused: PlaybackState = { status: 'loading', entry: 'a', autoplay: false };
const playing: PlaybackState = { status: 'playing', entry: 'a' };
const paused: PlaybackState = { status: 'paused', entry: 'a' };
const buffering: PlaybackState = { status: 'buffering', entry: 'a' };
const failed: PlaybackState = { status: 'failed', entry: 'a', message: "Can't reach your Tonearm server.", retryable: true };
const every: PlaybackState[] = [IDLE, loading, loadingPaused, playing, paused, buffering, failed];

const run = (state: PlaybackState, event: PlaybackEvent) => nextPlaybackState(state, event);

describe('playback state', () => {
  it('a load starts loading its entry from any state, with or without autoplay', () => {
    for (const state of every) {
      expect(run(state, { type: 'load', entry: 'b', autoplay: true })).toEqual({ status: 'loading', entry: 'b', autoplay: true });
      expect(run(state, { type: 'load', entry: 'a', autoplay: false })).toEqual(loadingPaused);
    }
  });

  it('a restored queue is paused on its entry; a stop is idle, from any state', () => {
    for (const state of every) {
      expect(run(state, { type: 'restore', entry: 'a' })).toEqual(paused);
      expect(run(state, { type: 'stop' })).toEqual(IDLE);
    }
  });

  it('a pause asked for while loading cancels the autoplay; otherwise the element reports the pause', () => {
    expect(run(loading, { type: 'pause-requested' })).toEqual(loadingPaused);
    for (const state of [IDLE, playing, paused, buffering, failed]) expect(run(state, { type: 'pause-requested' })).toBe(state);
  });

  it('the element playing makes loading, paused and buffering entries playing', () => {
    for (const state of [loading, loadingPaused, paused, buffering, playing]) expect(run(state, { type: 'element-playing', entry: 'a' })).toEqual(playing);
  });

  it('waiting while playing is buffering; waiting while loading or paused changes nothing', () => {
    expect(run(playing, { type: 'element-waiting', entry: 'a' })).toEqual(buffering);
    for (const state of [loading, loadingPaused, paused, buffering, failed]) expect(run(state, { type: 'element-waiting', entry: 'a' })).toBe(state);
  });

  it('the element pausing pauses a loading, playing or buffering entry', () => {
    for (const state of [loading, loadingPaused, playing, buffering, paused]) expect(run(state, { type: 'element-paused', entry: 'a' })).toEqual(paused);
  });

  it('a failure of the current entry is failed from any of its states, with the reason', () => {
    for (const state of [loading, loadingPaused, playing, paused, buffering, failed]) {
      expect(run(state, { type: 'failed', entry: 'a', message: 'This album is for Premium listeners.', retryable: false })).toEqual({
        status: 'failed',
        entry: 'a',
        message: 'This album is for Premium listeners.',
        retryable: false,
      });
    }
  });

  it('a failed entry stays failed whatever its detached element still reports', () => {
    for (const type of ['element-playing', 'element-paused', 'element-waiting'] as const) expect(run(failed, { type, entry: 'a' })).toBe(failed);
  });

  it('a failure or an element report about another entry (one already left) changes nothing', () => {
    const reports: PlaybackEvent[] = [
      { type: 'failed', entry: 'old', message: 'late', retryable: true },
      { type: 'element-playing', entry: 'old' },
      { type: 'element-paused', entry: 'old' },
      { type: 'element-waiting', entry: 'old' },
    ];
    for (const state of every) for (const report of reports) expect(run(state, report)).toBe(state);
  });

  it('Pause shows while it plays or is about to; the spinner while the listener waits for sound', () => {
    expect(every.map(meantToPlay)).toEqual([false, true, false, true, false, true, false]);
    expect(every.map(waitingForSound)).toEqual([false, true, false, false, false, true, false]);
  });
});
