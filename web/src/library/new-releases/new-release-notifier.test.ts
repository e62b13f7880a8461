import { describe, expect, it, vi } from 'vitest';
import type { AlbumSummary, NewReleases } from '../../shared/api/tonearm';
import { ManualTimers } from '../../shared/testing/manual-timers';
import { FIRST_LOOK_BACK_MS, NewReleaseNotifier, POLL_EVERY_MS, type ReleaseNotice } from './new-release-notifier';
import { MemoryStorage } from '../../shared/testing/memory-storage';

const NOW = Date.UTC(2026, 10, 29, 12, 0);

function album(id: number, addedAt: number, artist = 'Aurora Lane'): AlbumSummary {
  return { id, title: `Album ${id}`, artist: { id: 1, name: artist }, added_at: addedAt, cover_id: null } as unknown as AlbumSummary;
}

/** A feed that answers from a list, as the server does: added after `since`, newest first, pages of two. */
function feedOf(albums: AlbumSummary[]) {
  return vi.fn(async (since: number, cursor?: string): Promise<NewReleases> => {
    const matching = albums.filter((candidate) => candidate.added_at > since).sort((a, b) => b.added_at - a.added_at);
    const start = cursor ? Number(cursor) : 0;
    const next = start + 2 < matching.length ? String(start + 2) : null;
    return { items: matching.slice(start, start + 2), next_cursor: next } as NewReleases;
  });
}

function setUp(albums: AlbumSummary[], storage = new MemoryStorage()) {
  const shown: ReleaseNotice[] = [];
  const timers = new ManualTimers();
  const newReleases = feedOf(albums);
  const notifier = new NewReleaseNotifier({
    api: { newReleases },
    storage,
    show: (notice) => shown.push(notice),
    now: () => NOW,
    setTimer: timers.set,
    clearTimer: timers.clear,
  });
  return { notifier, shown, timers, newReleases, storage, albums };
}

describe('new release notifications', () => {
  it('first looks back a week, shows each album once, and remembers across reloads', async () => {
    const storage = new MemoryStorage();
    const { notifier, shown, newReleases } = setUp([album(1, NOW - 3600_000), album(2, NOW - 60_000)], storage);
    notifier.start();
    await notifier.check();
    expect(newReleases.mock.calls[0]?.[0]).toBe(NOW - FIRST_LOOK_BACK_MS);
    expect(shown).toEqual([
      { title: 'New from Aurora Lane', body: 'Album 2', albumId: 2, coverId: null },
      { title: 'New from Aurora Lane', body: 'Album 1', albumId: 1, coverId: null },
    ]);

    // A reload: the same feed shows nothing again.
    const reloaded = setUp([album(1, NOW - 3600_000), album(2, NOW - 60_000)], storage);
    reloaded.notifier.start();
    await reloaded.notifier.check();
    expect(reloaded.shown).toEqual([]);
    expect(reloaded.newReleases.mock.calls[0]?.[0]).toBe(NOW - 60_001);
  });

  it('looks again every half hour while open, and stops when told', async () => {
    const { notifier, shown, timers, albums } = setUp([album(1, NOW - 1000)]);
    notifier.start();
    notifier.start();
    await notifier.check();
    expect(timers.pending.map((timer) => timer.ms)).toEqual([POLL_EVERY_MS]);
    albums.push(album(7, NOW + 5000, 'Maya Okonkwo'));
    timers.fireNext();
    await notifier.check();
    expect(shown.map((notice) => notice.albumId)).toEqual([1, 7]);
    notifier.stop();
    expect(timers.pending).toEqual([]);
  });

  it('sums many new albums up in one notification, following every page', async () => {
    const artists = ['A', 'B', 'C', 'D', 'E'];
    const { notifier, shown, newReleases } = setUp(artists.map((name, index) => album(index + 1, NOW - index * 1000, name)));
    await notifier.check();
    expect(newReleases).toHaveBeenCalledTimes(3);
    expect(shown).toEqual([{ title: '5 new releases', body: 'From A, B and 3 more', albumId: null, coverId: null }]);
  });

  it('a failed look is quiet and changes nothing; signing out forgets', async () => {
    const { notifier, shown, newReleases, storage } = setUp([album(1, NOW - 1000)]);
    newReleases.mockRejectedValueOnce(new Error('offline'));
    await notifier.check();
    expect(shown).toEqual([]);
    expect(storage.values.size).toBe(0);
    await notifier.check();
    expect(shown).toHaveLength(1);
    notifier.forget();
    expect(storage.values.size).toBe(0);
  });
});
