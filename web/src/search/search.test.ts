import { describe, expect, it, vi } from 'vitest';
import { ManualTimers } from '../shared/testing/manual-timers';
import { SearchAsYouType, type SearchState } from './as-you-type';
import { MAX_RECENT_SEARCHES, RecentSearches } from './recent-searches';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setUp() {
  const timers = new ManualTimers();
  const requests: { text: string; signal: AbortSignal; resolve: (value: string) => void }[] = [];
  const states: SearchState<string>[] = [];
  const search = new SearchAsYouType<string>({
    search: (text, signal) => new Promise((resolve) => requests.push({ text, signal, resolve })),
    onChange: (state) => states.push(state),
    delayMs: 250,
    setTimer: timers.set,
    clearTimer: timers.clear,
  });
  return { timers, requests, states, search };
}

describe('SearchAsYouType', () => {
  it('asks once typing pauses, not for every keystroke', () => {
    const { timers, requests, search } = setUp();
    for (const text of ['k', 'ki', 'kit', 'kitchn']) search.input(text);
    expect(timers.pending).toHaveLength(1);
    timers.fireAll();
    expect(requests.map((request) => request.text)).toEqual(['kitchn']);
  });

  it('cancels a stale request and never shows its late answer', async () => {
    const { timers, requests, states, search } = setUp();
    search.input('kitc');
    timers.fireAll();
    search.input('kitchen');
    expect(requests[0]?.signal.aborted).toBe(true);
    timers.fireAll();
    requests[1]?.resolve('answer for kitchen');
    requests[0]?.resolve('answer for kitc');
    await settle();
    const ready = states.filter((state) => state.status === 'ready');
    expect(ready).toEqual([{ status: 'ready', text: 'kitchen', results: 'answer for kitchen' }]);
  });

  it('clearing the field cancels everything and shows nothing', () => {
    const { timers, requests, states, search } = setUp();
    search.input('jazz');
    timers.fireAll();
    search.input('  ');
    expect(requests[0]?.signal.aborted).toBe(true);
    expect(states.at(-1)).toEqual({ status: 'idle' });
  });

  it('a failure is shown for its text and can be retried', async () => {
    const { timers, states, search } = setUp();
    const failing = new SearchAsYouType<string>({
      search: async () => {
        throw new Error('offline');
      },
      onChange: (state) => states.push(state),
      delayMs: 250,
      setTimer: timers.set,
      clearTimer: timers.clear,
    });
    failing.input('soul');
    timers.fireAll();
    await settle();
    expect(states.at(-1)?.status).toBe('failed');
    failing.retry();
    expect(states.at(-1)).toEqual({ status: 'loading', text: 'soul' });
    search.dispose();
  });
});

describe('RecentSearches', () => {
  function memory() {
    const values = new Map<string, string>();
    return {
      getItem: (key: string) => values.get(key) ?? null,
      setItem: vi.fn((key: string, value: string) => void values.set(key, value)),
      removeItem: (key: string) => void values.delete(key),
      values,
    };
  }

  it('keeps the newest first, each search once, at most ten', () => {
    const recent = new RecentSearches(memory());
    recent.add('Kitchen songs');
    recent.add('jazz');
    recent.add('  kitchen   SONGS ');
    expect(recent.list()).toEqual(['kitchen SONGS', 'jazz']);
    for (let i = 0; i < 15; i++) recent.add(`search ${i}`);
    expect(recent.list()).toHaveLength(MAX_RECENT_SEARCHES);
    expect(recent.list()[0]).toBe('search 14');
  });

  it('removes one or all, leaving nothing behind in storage', () => {
    const storage = memory();
    const recent = new RecentSearches(storage);
    recent.add('a');
    recent.add('b');
    expect(recent.remove('a')).toEqual(['b']);
    recent.remove('b');
    expect(storage.values.size).toBe(0);
    recent.add('c');
    recent.clear();
    expect(storage.values.size).toBe(0);
  });

  it('survives something else written under its key', () => {
    const storage = memory();
    storage.values.set('tonearm.recent-searches', '{not json');
    expect(new RecentSearches(storage).list()).toEqual([]);
  });
});
