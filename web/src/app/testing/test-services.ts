import { AuthSession } from '../../auth/session';
import { Likes } from '../../library/likes/likes';
import { Playlists } from '../../library/playlist/playlists';
import { installAutoplay } from '../../player/autoplay';
import { Player } from '../../player/player';
import { Radio } from '../../player/radio';
import { StreamSources } from '../../player/stream-sources';
import { FakeEngine } from '../../player/testing/fake-engine';
import { RecentSearches } from '../../search/recent-searches';
import { AutoplaySetting } from '../../settings/autoplay-setting';
import { Plan } from '../../settings/plan';
import { SettingsStore } from '../../settings/settings-store';
import { HttpClient } from '../../shared/api/http';
import { TonearmApi } from '../../shared/api/tonearm';
import { DeviceFlag } from '../../shared/device-flag';
import { Notices } from '../../shared/notices';
import { FakeServer } from '../../shared/testing/fake-server';
import { MemoryStorage } from '../../shared/testing/memory-storage';
import { Connection } from '../connection';
import { Router } from '../router';
import type { Services } from '../services-context';
import { afterTest } from './cleanup';

export interface TestServices {
  services: Services;
  /** Where every API call goes: the test sets up its answers and reads what was sent. */
  server: FakeServer;
  /** What the player asked to be played. */
  engine: FakeEngine;
}

/**
 * The app's real services over fakes at the edges: the API over a `FakeServer` instead of
 * the network, the player over a `FakeEngine` instead of `<audio>`, storage in memory.
 * Components under test then send real requests, which the test can check. Signed out
 * unless `signedIn`.
 */
export function testServices(options: { signedIn?: boolean } = {}): TestServices {
  const server = new FakeServer();
  const http = new HttpClient({
    fetch: server.fetch,
    tokens: { accessToken: async () => 'test-token', renewAfterRejection: async () => 'test-token' },
    sleep: async () => undefined,
  });
  const api = new TonearmApi(http);
  const notices = new Notices();
  const engine = new FakeEngine();
  const auth = new AuthSession({
    fetch: server.fetch,
    persistent: options.signedIn ? signedInStorage() : new MemoryStorage(),
    perTab: new MemoryStorage(),
    origin: 'http://tonearm.test',
    now: () => Date.now(),
    setTimer: (callback, ms) => setTimeout(callback, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  });
  const router = new Router();
  afterTest(() => router.stop());
  const player = new Player(engine, new StreamSources(api, 'progressive'), notices, new MemoryStorage());
  const radio = new Radio(api, player);
  const autoplay = new AutoplaySetting(new MemoryStorage());
  afterTest(installAutoplay(player, radio, autoplay));
  const services: Services = {
    auth,
    api,
    notices,
    player,
    radio,
    autoplay,
    tastePickerDismissed: new DeviceFlag(new MemoryStorage(), 'tonearm.taste-picker.dismissed', false),
    likes: new Likes(api, notices),
    playlists: new Playlists(api, notices),
    settings: new SettingsStore(api, notices),
    plan: new Plan(api),
    recentSearches: new RecentSearches(new MemoryStorage()),
    connection: new Connection({ online: true, probe: async () => true, setTimer: () => null, clearTimer: () => undefined }),
    router,
    signOut: () => auth.signOut(),
  };
  return { services, server, engine };
}

/** A device that signed in earlier: the session finds its refresh token. */
function signedInStorage(): MemoryStorage {
  const storage = new MemoryStorage();
  storage.setItem('tonearm.refresh-token', 'test-refresh-token');
  return storage;
}
