import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../shared/api/errors';
import { ManualTimers } from '../../shared/testing/manual-timers';
import type { PlayEvent, RecordedEvents } from '../../shared/api/tonearm';
import { IndexedDbEventStore } from './pending-store';
import { PlayEventSender } from './sender';

function event(id: string): PlayEvent {
  return { id, kind: 'play_start', track_id: 1, occurred_at: 1_700_000_000_000, ms_played: 0, reason: null, context: { kind: 'album', id: '3' } };
}

/** Lets IndexedDB (fake-indexeddb resolves on macrotasks) and promise chains run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

const acknowledged: RecordedEvents = { stored: 1, duplicates: 0, unknown_tracks: [] };

function setUp(factory = new IDBFactory(), send = vi.fn(async (_events: PlayEvent[]) => acknowledged)) {
  const timers = new ManualTimers();
  const store = new IndexedDbEventStore(factory);
  const sender = new PlayEventSender({ store, send, setTimer: timers.set, clearTimer: timers.clear, random: () => 0.5, batchSize: 3, gatherMs: 5000 });
  return { factory, store, sender, send, timers };
}

const sentIds = (send: ReturnType<typeof vi.fn>) => send.mock.calls.map((call) => (call[0] as PlayEvent[]).map((sent) => sent.id));

describe('PlayEventSender', () => {
  it('gathers events for a moment, sends them in one batch, and forgets them once acknowledged', async () => {
    const { sender, send, store, timers } = setUp();
    await sender.record(event('a'));
    await sender.record(event('b'));
    expect(send).not.toHaveBeenCalled();
    expect(timers.pending.map((timer) => timer.ms)).toEqual([5000]);
    timers.fireNext();
    await settle();
    expect(sentIds(send)).toEqual([['a', 'b']]);
    expect(await store.count()).toBe(0);
  });

  it('splits a backlog into batches, oldest first', async () => {
    const { sender, send } = setUp();
    for (const id of ['1', '2', '3', '4', '5']) await sender.record(event(id));
    await sender.flush();
    expect(sentIds(send)).toEqual([['1', '2', '3'], ['4', '5']]);
  });

  it('keeps events through failed deliveries and retries with growing, jittered back-off', async () => {
    let online = false;
    const send = vi.fn(async (_events: PlayEvent[]) => {
      if (!online) throw new ApiError(0, 'network', 'offline');
      return acknowledged;
    });
    const { sender, store, timers } = setUp(undefined, send);
    await sender.record(event('a'));
    await sender.flush();
    expect(await store.count()).toBe(1);
    // Full jitter with random() = 0.5: half of 2 s, then half of 4 s.
    expect(timers.fireNext()).toBe(1000);
    await settle();
    expect(timers.pending.map((timer) => timer.ms)).toEqual([2000]);
    await sender.record(event('b'));
    expect(timers.pending).toHaveLength(1);
    online = true;
    timers.fireNext();
    await settle();
    expect(await store.count()).toBe(0);
    // The same ids every time: the server stores a re-sent event once.
    expect(sentIds(send)).toEqual([['a'], ['a'], ['a', 'b']]);
    await sender.record(event('c'));
    expect(timers.pending.map((timer) => timer.ms)).toEqual([5000]);
  });

  it('sends what an earlier page left behind (the tab closed before delivery)', async () => {
    const first = setUp();
    await first.sender.record(event('left-behind'));
    const reopened = setUp(first.factory);
    await reopened.sender.flush();
    expect(sentIds(reopened.send)).toEqual([['left-behind']]);
    expect(first.send).not.toHaveBeenCalled();
  });

  it('includes an event recorded just before a flush', async () => {
    const { sender, send } = setUp();
    void sender.record(event('last'));
    await sender.flush();
    expect(sentIds(send)).toEqual([['last']]);
  });

  it('drops a batch the server refuses as malformed instead of blocking later ones', async () => {
    const send = vi.fn(async (events: PlayEvent[]) => {
      if (events.some((sent) => sent.id === 'bad')) throw new ApiError(400, 'invalid_event', 'bad event');
      return acknowledged;
    });
    const { sender, store } = setUp(undefined, send);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    for (const id of ['bad', 'x', 'y', 'good']) await sender.record(event(id));
    await sender.flush();
    expect(sentIds(send)).toEqual([['bad', 'x', 'y'], ['good']]);
    expect(await store.count()).toBe(0);
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });

  it('sends one delivery at a time', async () => {
    let release: () => void = () => undefined;
    const send = vi.fn(() => new Promise<RecordedEvents>((resolve) => (release = () => resolve(acknowledged))));
    const { sender } = setUp(undefined, send);
    await sender.record(event('a'));
    const first = sender.flush();
    const second = sender.flush();
    await settle();
    expect(send).toHaveBeenCalledOnce();
    release();
    await Promise.all([first, second]);
    expect(send).toHaveBeenCalledOnce();
  });

  it('discards everything pending at sign-out', async () => {
    const { sender, send, store, timers } = setUp();
    await sender.record(event('a'));
    await sender.discard();
    expect(await store.count()).toBe(0);
    expect(timers.pending).toHaveLength(0);
    await sender.flush();
    expect(send).not.toHaveBeenCalled();
  });
});
