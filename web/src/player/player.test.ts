import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../shared/api/errors';
import { Notices } from '../shared/notices';
import { track } from '../shared/testing/fixtures';
import { MemoryStorage } from '../shared/testing/memory-storage';
import type { EndReason, PlayReporter } from './play-events/tracker';
import { Player } from './player';
import { StreamSources } from './stream-sources';
import { FakeEngine } from './testing/fake-engine';

const refused = new ApiError(403, 'premium_required', 'Lossless originals need a Premium account.');

/** Writes down what the player reported, one line per call. */
class RecordingReporter implements PlayReporter {
  calls: string[] = [];
  start(trackId: number, context: { kind: string } | null) {
    this.calls.push(`start ${trackId} ${context?.kind ?? '-'}`);
  }
  position() {}
  interrupt() {}
  checkpoint() {}
  end(reason: EndReason) {
    this.calls.push(`end ${reason}`);
  }
}

type StreamUrl = (id: number, options?: { skip?: boolean }) => Promise<{ url: string; expires_at: number }>;

/** Sources of a browser without hls.js: signed links to the originals. */
function progressive(streamUrl: StreamUrl): StreamSources {
  return new StreamSources({ streamUrl, hlsMaster: async () => ({ url: '/unused', text: '' }) }, 'progressive');
}

function setUp(streamUrl: StreamUrl) {
  const engine = new FakeEngine();
  const notices = new Notices();
  const storage = new MemoryStorage();
  const reporter = new RecordingReporter();
  const api = { streamUrl: vi.fn(streamUrl), hlsMaster: vi.fn(async () => ({ url: '/unused', text: '' })) };
  const player = new Player(engine, new StreamSources(api, 'progressive'), notices, storage, reporter, () => Date.UTC(2026, 0, 1, 12, 0));
  return { engine, notices, storage, player, reporter, api };
}

/** A player whose stream links fail as a lost network does while `network.offline`. */
function setUpWithNetwork(initially: { offline: boolean }) {
  const network = { ...initially };
  const setup = setUp(async (id) => {
    if (network.offline) throw new ApiError(0, 'network', "Can't reach your Tonearm server.");
    return { url: `/t/${id}`, expires_at: 0 };
  });
  return { ...setup, network };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('player', () => {
  it('plays through the signed stream link of the chosen track', async () => {
    const { engine, player } = setUp(async (id) => ({ url: `/api/v1/tracks/${id}/stream?sig=s`, expires_at: 0 }));
    player.playTracks([track(1, 'One'), track(2, 'Two')], 1);
    await settle();
    expect(engine.loaded.map((load) => load.source.url)).toEqual(['/api/v1/tracks/2/stream?sig=s']);
    expect(player.playback.value.status).toBe('playing');
  });

  it('a 403 from the stream link says why and skips to the next track', async () => {
    const { engine, notices, player } = setUp(async (id) => {
      if (id === 1) throw refused;
      return { url: `/api/v1/tracks/${id}/stream?sig=s`, expires_at: 0 };
    });
    player.playTracks([track(1, 'Lossless'), track(2, 'Lossy')], 0);
    await settle();
    await settle();
    expect(notices.current.value?.message).toContain('Lossless originals need a Premium account.');
    expect(notices.current.value?.message).toContain('Skipping');
    expect(player.currentTrack?.title).toBe('Lossy');
    expect(engine.loaded.map((load) => load.source.url)).toEqual(['/api/v1/tracks/2/stream?sig=s']);
  });

  it('stops on the track the listener chose, failed with its reason, when no track in the queue can play', async () => {
    const { player, notices } = setUp(async () => {
      throw refused;
    });
    player.playTracks([track(1, 'A'), track(2, 'B'), track(3, 'C')], 1);
    for (let i = 0; i < 5; i++) await settle();
    expect(player.currentTrack?.title).toBe('B');
    expect(player.playback.value).toMatchObject({ status: 'failed', message: 'Lossless originals need a Premium account.', retryable: false });
    expect(notices.current.value?.message).toBe('Can\'t play “B”: Lossless originals need a Premium account. No other track in the queue can be played.');
  });

  it('a network failure stays on the track, failed with the reason; Retry plays it', async () => {
    const { engine, player, network } = setUpWithNetwork({ offline: true });
    player.playTracks([track(1, 'A'), track(2, 'B')], 0);
    await settle();
    expect(player.currentTrack?.title).toBe('A');
    expect(player.playback.value).toMatchObject({ status: 'failed', message: "Can't reach your Tonearm server.", retryable: true });
    network.offline = false;
    player.togglePlay();
    await settle();
    expect(engine.loaded.map((load) => load.source.url)).toEqual(['/t/1']);
    expect(player.playback.value.status).toBe('playing');
  });

  it('a skip that fails on the network silences the track that played and shows the next one failed', async () => {
    const { engine, player, network } = setUpWithNetwork({ offline: false });
    player.playTracks([track(1, 'A'), track(2, 'B')], 0);
    await settle();
    network.offline = true;
    await player.next();
    expect(engine.playing).toBe(false);
    expect(engine.hasSource).toBe(false);
    expect(player.currentTrack?.title).toBe('B');
    expect(player.playback.value).toMatchObject({ status: 'failed', message: "Can't reach your Tonearm server." });
    // What the old element still says is not about B.
    engine.emit({ type: 'playing' });
    engine.emit({ type: 'time', currentTime: 50, duration: 180 });
    expect(player.playback.value.status).toBe('failed');
    expect(player.progress.value.position).toBe(0);
    // Play is the retry, of B.
    network.offline = false;
    await player.play();
    expect(engine.loaded.map((load) => load.source.url)).toEqual(['/t/1', '/t/2']);
    expect(player.playback.value.status).toBe('playing');
  });

  it('a tap on another track silences the one playing at once, before the new source arrives', async () => {
    let answer: () => void = () => undefined;
    const { engine, player } = setUp(async (id) => {
      if (id === 2) await new Promise<void>((resolve) => (answer = resolve));
      return { url: `/t/${id}`, expires_at: 0 };
    });
    player.playTracks([track(1, 'A'), track(2, 'B')], 0);
    await settle();
    player.jumpTo(1);
    expect(engine.silenced).toBe(1);
    expect(engine.playing).toBe(false);
    expect(player.playback.value).toMatchObject({ status: 'loading', autoplay: true });
    answer();
    await settle();
    expect(player.playback.value.status).toBe('playing');
  });

  it('a pause while the source is asked for is kept: it loads paused', async () => {
    let answer: () => void = () => undefined;
    const { engine, player } = setUp(async (id) => {
      await new Promise<void>((resolve) => (answer = resolve));
      return { url: `/t/${id}`, expires_at: 0 };
    });
    player.playTracks([track(1, 'A')], 0);
    player.togglePlay();
    answer();
    await settle();
    expect(engine.loaded).toHaveLength(1);
    expect(engine.playing).toBe(false);
    expect(player.playback.value.status).toBe('paused');
  });

  it('a stall while playing shows buffering until the element plays again', async () => {
    const { engine, player } = setUp(async (id) => ({ url: `/t/${id}`, expires_at: 0 }));
    player.playTracks([track(1, 'A')], 0);
    await settle();
    engine.emit({ type: 'waiting' });
    expect(player.playback.value.status).toBe('buffering');
    player.togglePlay(); // Pause acts on what is (about to be) audible
    engine.emit({ type: 'paused' });
    expect(player.playback.value.status).toBe('paused');
    player.togglePlay();
    await settle();
    expect(player.playback.value.status).toBe('playing');
  });

  it('a stream lost for good while playing stays on the track, failed and silent, after one fresh try', async () => {
    const { engine, player } = setUp(async (id) => ({ url: `/t/${id}`, expires_at: 0 }));
    player.playTracks([track(1, 'A'), track(2, 'B')], 0);
    await settle();
    engine.emit({ type: 'time', currentTime: 30, duration: 180 });
    engine.emit({ type: 'error', reason: 'network' });
    await settle();
    expect(engine.loaded.map((load) => [load.source.url, load.startAt])).toEqual([['/t/1', 0], ['/t/1', 30]]);
    engine.emit({ type: 'error', reason: 'network' });
    expect(player.currentTrack?.title).toBe('A');
    expect(player.playback.value).toMatchObject({ status: 'failed', retryable: true });
    expect(engine.hasSource).toBe(false);
  });

  it('a failure reported late, for a load that a newer one replaced, changes nothing', async () => {
    let failFirst: (error: unknown) => void = () => undefined;
    const { player } = setUp(async (id) => {
      if (id === 1) await new Promise((_, reject) => (failFirst = reject));
      return { url: `/t/${id}`, expires_at: 0 };
    });
    player.playTracks([track(1, 'A'), track(2, 'B')], 0);
    player.jumpTo(1);
    await settle();
    failFirst(new ApiError(0, 'network', "Can't reach your Tonearm server."));
    await settle();
    expect(player.currentTrack?.title).toBe('B');
    expect(player.playback.value.status).toBe('playing');
  });

  it('restores the queue and position after a reload, and resumes from there', async () => {
    const storage = new MemoryStorage();
    const firstEngine = new FakeEngine();
    const first = new Player(firstEngine, progressive(async () => ({ url: '/s', expires_at: 0 })), new Notices(), storage);
    first.playTracks([track(1, 'A'), track(2, 'B')], 1);
    await settle();
    firstEngine.emit({ type: 'time', currentTime: 42, duration: 180 });
    firstEngine.emit({ type: 'paused' });

    const engine = new FakeEngine();
    const reloaded = new Player(engine, progressive(async () => ({ url: '/s2', expires_at: 0 })), new Notices(), storage);
    expect(reloaded.currentTrack?.title).toBe('B');
    expect(reloaded.queue.value.entries).toHaveLength(2);
    expect(reloaded.progress.value.position).toBe(42);
    expect(reloaded.playback.value.status).toBe('paused');
    await reloaded.play();
    expect(engine.loaded).toEqual([{ source: { kind: 'progressive', url: '/s2' }, startAt: 42 }]);
  });

  it('repeat one replays the track when it ends', async () => {
    const { engine, player } = setUp(async (id) => ({ url: `/t/${id}`, expires_at: 0 }));
    player.playTracks([track(1, 'A'), track(2, 'B')], 0);
    player.cycleRepeat();
    player.cycleRepeat();
    await settle();
    engine.emit({ type: 'ended' });
    await settle();
    expect(engine.loaded.map((load) => load.source.url)).toEqual(['/t/1', '/t/1']);
  });

  it('a skip asks the server with skip=true and counts as skipped; a track that ends counts as completed', async () => {
    const { engine, player, reporter, api } = setUp(async (id) => ({ url: `/t/${id}`, expires_at: 0 }));
    player.playTracks([track(1, 'A'), track(2, 'B'), track(3, 'C')], 0, { context: { kind: 'album', id: '9' } });
    await settle();
    await player.next();
    engine.emit({ type: 'ended' });
    await settle();
    expect(api.streamUrl.mock.calls.map((call) => [call[0], call[1]?.skip ?? false])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
    expect(reporter.calls).toEqual(['start 1 album', 'end skipped', 'start 2 album', 'end completed', 'start 3 album']);
  });

  it('a refused skip keeps the current track playing and says when the next skip is possible', async () => {
    const { engine, notices, player, reporter } = setUp(async (id, options) => {
      if (options?.skip) throw new ApiError(403, 'skip_limit_reached', 'Free accounts can skip 6 tracks an hour.', 754);
      return { url: `/t/${id}`, expires_at: 0 };
    });
    player.playTracks([track(1, 'A'), track(2, 'B')], 0);
    await settle();
    await player.next();
    expect(player.currentTrack?.title).toBe('A');
    expect(engine.playing).toBe(true);
    expect(engine.loaded).toHaveLength(1);
    expect(notices.current.value?.message).toMatch(/skip again at .+ \(in 13 min\)/);
    expect(reporter.calls).toEqual(['start 1 -']);
  });

  it('moving on after a failure is not a skip the listener made', async () => {
    const { player, api, reporter } = setUp(async (id) => {
      if (id === 2) throw refused;
      return { url: `/t/${id}`, expires_at: 0 };
    });
    player.playTracks([track(1, 'A'), track(2, 'B'), track(3, 'C')], 1);
    await settle();
    await settle();
    expect(player.currentTrack?.title).toBe('C');
    expect(api.streamUrl.mock.calls.every((call) => !call[1]?.skip)).toBe(true);
    expect(reporter.calls).toEqual(['start 3 -']);
  });

  it('preloads the track that follows shortly before the current one ends, once', async () => {
    const prefetched: number[] = [];
    const sources = {
      warm: async () => undefined,
      source: async (id: number) => ({ kind: 'hls' as const, url: `/m/${id}` }),
      prefetch: async (id: number) => {
        prefetched.push(id);
        return { kind: 'hls' as const, url: `/m/${id}` };
      },
    };
    const engine = new FakeEngine();
    const player = new Player(engine, sources, new Notices(), new MemoryStorage());
    player.playTracks([track(1, 'A'), track(2, 'B')], 0);
    await settle();
    engine.emit({ type: 'time', currentTime: 100, duration: 180 });
    expect(prefetched).toEqual([]);
    engine.emit({ type: 'time', currentTime: 166, duration: 180 });
    engine.emit({ type: 'time', currentTime: 170, duration: 180 });
    await settle();
    expect(prefetched).toEqual([2]);
    expect(engine.preloaded).toEqual({ kind: 'hls', url: '/m/2' });
  });

  it('follows the engine when the preloaded track takes over: no new load, one play completed and the next begun', async () => {
    const { engine, player, reporter, api } = setUp(async (id) => ({ url: `/t/${id}`, expires_at: 0 }));
    player.playTracks([track(1, 'A'), track(2, 'B'), track(3, 'C')], 0);
    await settle();
    engine.emit({ type: 'time', currentTime: 170, duration: 180 });
    await settle();
    expect(engine.preloaded?.url).toBe('/t/2');
    engine.emit({ type: 'advanced' });
    engine.emit({ type: 'playing' });
    expect(player.currentTrack?.title).toBe('B');
    expect(player.progress.value).toEqual({ position: 0, duration: 180 });
    expect(engine.loaded.map((load) => load.source.url)).toEqual(['/t/1']);
    expect(reporter.calls).toEqual(['start 1 -', 'end completed', 'start 2 -']);
    expect(api.streamUrl.mock.calls.every((call) => !call[1]?.skip)).toBe(true);
    // The track after B is preloaded in turn.
    engine.emit({ type: 'time', currentTime: 170, duration: 180 });
    await settle();
    expect(engine.preloaded?.url).toBe('/t/3');
  });

  it('drops the preload when the queue changes what follows, and preloads the new one', async () => {
    const { engine, player } = setUp(async (id) => ({ url: `/t/${id}`, expires_at: 0 }));
    player.playTracks([track(1, 'A'), track(2, 'B')], 0);
    await settle();
    engine.emit({ type: 'time', currentTime: 170, duration: 180 });
    await settle();
    player.playNext([track(9, 'Inserted')]);
    expect(engine.cancelledPreloads).toBe(1);
    engine.emit({ type: 'time', currentTime: 171, duration: 180 });
    await settle();
    expect(engine.preloaded?.url).toBe('/t/9');
    // Moving an entry that does not follow keeps it.
    player.move(2, 2);
    expect(engine.cancelledPreloads).toBe(1);
  });

  it('preloads the first track when repeat is switched on near the end of the last one', async () => {
    const { engine, player } = setUp(async (id) => ({ url: `/t/${id}`, expires_at: 0 }));
    player.playTracks([track(1, 'A'), track(2, 'B')], 1);
    await settle();
    engine.emit({ type: 'time', currentTime: 170, duration: 180 });
    await settle();
    expect(engine.preloaded).toBeNull();
    player.cycleRepeat();
    engine.emit({ type: 'time', currentTime: 171, duration: 180 });
    await settle();
    expect(engine.preloaded?.url).toBe('/t/1');
  });

  it('a skip to the preloaded track hands the engine the same source, which it starts from its buffer', async () => {
    const { engine, player, api } = setUp(async (id) => ({ url: `/t/${id}`, expires_at: 0 }));
    player.playTracks([track(1, 'A'), track(2, 'B')], 0);
    await settle();
    engine.emit({ type: 'time', currentTime: 170, duration: 180 });
    await settle();
    expect(engine.cancelledPreloads).toBe(0);
    await player.next();
    expect(api.streamUrl.mock.calls.at(-1)).toEqual([2, { skip: true }]);
    expect(engine.loaded.at(-1)?.source).toEqual(engine.preloaded);
    expect(engine.cancelledPreloads).toBe(0);
  });

  it('a key the server refuses while playing says why and moves on', async () => {
    const { engine, notices, player } = setUp(async (id) => ({ url: `/t/${id}`, expires_at: 0 }));
    player.playTracks([track(1, 'A'), track(2, 'B')], 0);
    await settle();
    engine.emit({ type: 'error', reason: 'refused', message: 'This album is for Premium listeners.' });
    await settle();
    expect(notices.current.value?.message).toBe('Can\'t play “A”: This album is for Premium listeners. Skipping to the next track.');
    expect(player.currentTrack?.title).toBe('B');
  });

  it('a few seconds into a track, warms the start of the one a skip goes to, once; a screen warms its first track', async () => {
    const { engine, player } = setUp(async (id) => ({ url: `/t/${id}`, expires_at: 0 }));
    const sources = (player as unknown as { sources: StreamSources }).sources;
    const warmed = vi.spyOn(sources, 'warm');
    player.playTracks([track(1, 'A'), track(2, 'B')], 0);
    await settle();
    engine.emit({ type: 'time', currentTime: 2, duration: 180 });
    expect(warmed).not.toHaveBeenCalled();
    engine.emit({ type: 'time', currentTime: 5, duration: 180 });
    engine.emit({ type: 'time', currentTime: 6, duration: 180 });
    expect(warmed.mock.calls).toEqual([[2, { firstSegment: true }]]);
    player.warmStart(track(9, 'Album opener'));
    expect(warmed.mock.calls.at(-1)).toEqual([9, { firstSegment: false }]);
  });

  it('knows whether the current track was started from a given album or playlist', async () => {
    const { player } = setUp(async (id) => ({ url: `/t/${id}`, expires_at: 0 }));
    player.playTracks([track(1, 'A')], 0, { context: { kind: 'playlist', id: '4' } });
    expect(player.isPlayingFrom({ kind: 'playlist', id: '4' })).toBe(true);
    expect(player.isPlayingFrom({ kind: 'playlist', id: '5' })).toBe(false);
    expect(player.isPlayingFrom({ kind: 'album', id: '4' })).toBe(false);
  });
});
