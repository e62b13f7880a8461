import { describe, expect, it } from 'vitest';
import { AutoplaySetting } from '../settings/autoplay-setting';
import { HttpClient } from '../shared/api/http';
import { TonearmApi, type RadioPage, type TrackSummary } from '../shared/api/tonearm';
import { Notices } from '../shared/notices';
import { FakeServer, json, type SeenRequest } from '../shared/testing/fake-server';
import { track } from '../shared/testing/fixtures';
import { MemoryStorage } from '../shared/testing/memory-storage';
import { installAutoplay } from './autoplay';
import { Player } from './player';
import { Radio } from './radio';
import { StreamSources } from './stream-sources';
import { FakeEngine } from './testing/fake-engine';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Track 100 + n is the n-th track of every radio: pages are slices of that endless list. */
function radioTrack(n: number): TrackSummary {
  return track(100 + n, `Radio ${n}`);
}

function page(request: SeenRequest, size = 5, extra: TrackSummary[] = []): RadioPage {
  const offset = Number(request.query.get('offset') ?? 0);
  const items = [...extra, ...Array.from({ length: size }, (_, index) => radioTrack(offset + index))];
  return { seed: request.query.get('seed') ?? '', title: 'Whistle On Radio', items: items.map((item) => ({ track: item, reason: { kind: 'radio', text: 'Like Whistle On' } })), next_offset: offset + size };
}

function setUp(options: { autoplay?: boolean } = {}) {
  const server = new FakeServer();
  const api = new TonearmApi(new HttpClient({ fetch: server.fetch, tokens: { accessToken: async () => 't', renewAfterRejection: async () => 't' }, sleep: async () => undefined }));
  const engine = new FakeEngine();
  const sources = new StreamSources({ streamUrl: async (id) => ({ url: `/t/${id}`, expires_at: 0 }), hlsMaster: async () => ({ url: '/unused', text: '' }) }, 'progressive');
  const player = new Player(engine, sources, new Notices(), new MemoryStorage());
  const radio = new Radio(api, player);
  const storage = new MemoryStorage();
  const setting = new AutoplaySetting(storage);
  if (options.autoplay === false) setting.set(false);
  installAutoplay(player, radio, setting);
  const queuedIds = () => player.queue.value.entries.map((entry) => entry.track.id);
  return { server, engine, player, radio, setting, storage, queuedIds, radioRequests: () => server.sent('GET', '/api/v1/radio') };
}

describe('radio', () => {
  it('starts with its first page as the queue, without the seed, named after the radio', async () => {
    const { server, player, radio, queuedIds, radioRequests } = setUp();
    // The server's answer may hold the seed; it never reaches the queue.
    server.on('GET', '/api/v1/radio', (request) => json(page(request, 5, [track(7, 'Whistle On')])));
    await radio.start('track:7');
    expect(radioRequests()[0]?.query.toString()).toBe('seed=track%3A7&offset=0&limit=25');
    expect(queuedIds()).toEqual([100, 101, 102, 103, 104]);
    expect(player.currentTrack?.id).toBe(100);
    expect(player.currentTrack?.from).toBe('Whistle On Radio');
    expect(radio.station.value).toEqual({ seed: 'track:7', title: 'Whistle On Radio' });
  });

  it('appends the next page once fewer than three tracks are left after the current one', async () => {
    const { server, player, radio, queuedIds, radioRequests } = setUp();
    server.on('GET', '/api/v1/radio', (request) => json(page(request)));
    await radio.start('track:7');
    player.jumpTo(1); // three left: enough
    await settle();
    expect(radioRequests()).toHaveLength(1);
    player.jumpTo(2); // two left
    await settle();
    expect(radioRequests().map((request) => request.query.get('offset'))).toEqual(['0', '5']);
    expect(queuedIds()).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
    expect(player.currentTrack?.id).toBe(102);
    expect(player.queue.value.entries.at(-1)?.track.from).toBe('Whistle On Radio');
  });

  it('asks once while a refill is under way, however often the queue moves meanwhile', async () => {
    const { server, player, radio, queuedIds, radioRequests } = setUp();
    server.on('GET', '/api/v1/radio', (request) => json(page(request)));
    await radio.start('track:7');
    let answer: () => void = () => undefined;
    server.on('GET', '/api/v1/radio', (request) => new Promise((resolve) => (answer = () => resolve(json(page(request))))));
    player.jumpTo(3);
    player.jumpTo(4);
    void radio.extend();
    await settle();
    expect(radioRequests()).toHaveLength(2);
    answer();
    await settle();
    await settle();
    expect(queuedIds()).toHaveLength(10);
    expect(new Set(queuedIds()).size).toBe(10);
  });

  it('never queues a track twice: pages repeating what is queued are passed over', async () => {
    const { server, player, radio, queuedIds } = setUp();
    server.on('GET', '/api/v1/radio', (request) => json(page(request)));
    await radio.start('track:7');
    // The next page repeats two queued tracks and the seed.
    server.on('GET', '/api/v1/radio', (request) => json(page(request, 2, [radioTrack(3), radioTrack(4), track(7, 'Whistle On')])));
    player.jumpTo(4);
    await settle();
    await settle();
    expect(queuedIds()).toEqual([100, 101, 102, 103, 104, 105, 106]);
  });

  it('goes on through a track put in with "Play next"', async () => {
    const { server, player, radio, radioRequests } = setUp();
    server.on('GET', '/api/v1/radio', (request) => json(page(request)));
    await radio.start('track:7');
    player.playNext([track(1, 'One')], { context: { kind: 'album', id: '4' } });
    player.jumpTo(1);
    await settle();
    expect(player.currentTrack?.id).toBe(1);
    expect(radio.station.value?.seed).toBe('track:7');
    player.jumpTo(4);
    await settle();
    expect(radioRequests()).toHaveLength(2);
  });

  it('stops growing the queue once the listener plays something else', async () => {
    const { server, player, radio, radioRequests } = setUp();
    server.on('GET', '/api/v1/radio', (request) => json(page(request)));
    await radio.start('track:7');
    player.playTracks([track(1, 'One'), track(2, 'Two')], 0, { context: { kind: 'album', id: '4' }, from: 'Northern Lights' });
    await settle();
    expect(radio.station.value).toBeNull();
    expect(radioRequests()).toHaveLength(1);
  });
});

describe('autoplay', () => {
  const album = [track(1, 'One'), track(2, 'Two')];
  const origin = { context: { kind: 'album' as const, id: '4' }, from: 'Northern Lights' };

  /** Plays the album's last track to its end. */
  async function playToTheEnd({ engine, player }: ReturnType<typeof setUp>) {
    player.playTracks(album, 1, origin);
    await settle();
    engine.emit({ type: 'ended' });
    await settle();
    await settle();
  }

  it('is on by default and, at the end of an album, plays a radio from its last track after it', async () => {
    const setup = setUp();
    setup.server.on('GET', '/api/v1/radio', (request) => json(page(request)));
    expect(setup.setting.on.value).toBe(true);
    await playToTheEnd(setup);
    expect(setup.radioRequests()[0]?.query.get('seed')).toBe('track:2');
    expect(setup.queuedIds()).toEqual([1, 2, 100, 101, 102, 103, 104]);
    expect(setup.player.currentTrack?.id).toBe(100);
    expect(setup.engine.loaded.at(-1)?.source.url).toBe('/t/100');
    expect(setup.radio.station.value?.title).toBe('Whistle On Radio');
  });

  it('switched off, lets the album end in silence, and the device remembers it', async () => {
    const setup = setUp({ autoplay: false });
    setup.server.on('GET', '/api/v1/radio', (request) => json(page(request)));
    await playToTheEnd(setup);
    expect(setup.radioRequests()).toHaveLength(0);
    expect(setup.player.currentTrack?.id).toBe(2);
    expect(setup.storage.getItem('tonearm.autoplay')).toBe('off');
    expect(new AutoplaySetting(setup.storage).on.value).toBe(false);
    setup.setting.forget();
    expect(setup.storage.values.size).toBe(0);
  });

  it('does not follow a skip past the last track, nor the end of a search result', async () => {
    const setup = setUp();
    setup.server.on('GET', '/api/v1/radio', (request) => json(page(request)));
    setup.player.playTracks(album, 1, { context: { kind: 'search', id: 'one' }, from: 'one' });
    await settle();
    setup.engine.emit({ type: 'ended' });
    await settle();
    setup.player.playTracks(album, 1, origin);
    await settle();
    await setup.player.next();
    await settle();
    expect(setup.radioRequests()).toHaveLength(0);
  });
});
