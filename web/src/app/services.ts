import { AuthSession } from '../auth/session';
import { Likes } from '../library/likes/likes';
import { NewReleaseNotifier, type ReleaseNotice } from '../library/new-releases/new-release-notifier';
import { Playlists } from '../library/playlist/playlists';
import { AudioEngine, ProgressiveAttacher } from '../player/audio-engine';
import { BandwidthMemory, type LinkHints } from '../player/bandwidth-memory';
import { HlsAttacher, RenditionChoice, hlsJsSupported } from '../player/hls-attacher';
import { HlsWarmer } from '../player/hls-warmer';
import { playbackPath } from '../player/hls-rules';
import { IndexedDbEventStore } from '../player/play-events/pending-store';
import { PlayEventSender } from '../player/play-events/sender';
import { PlayTracker } from '../player/play-events/tracker';
import { installAutoplay } from '../player/autoplay';
import { Player } from '../player/player';
import { Radio } from '../player/radio';
import { PrimedPlaylists } from '../player/primed-playlists';
import { StreamSources } from '../player/stream-sources';
import { RecentSearches } from '../search/recent-searches';
import { AutoplaySetting } from '../settings/autoplay-setting';
import { notificationPermission } from '../settings/notification-permission';
import { Plan } from '../settings/plan';
import { SettingsStore } from '../settings/settings-store';
import { HttpClient } from '../shared/api/http';
import { TonearmApi, coverUrl } from '../shared/api/tonearm';
import { DeviceFlag } from '../shared/device-flag';
import { Notices } from '../shared/notices';
import { Connection, probeServer } from './connection';
import { Router } from './router';
import type { Services } from './services-context';

/**
 * The app's services, wired to the browser once at start (`main.tsx`) and handed to the
 * components through `ServicesProvider`.
 */
export function createServices(): Services {
  const connection = new Connection({
    online: navigator.onLine,
    probe: () => probeServer((...args) => fetch(...args)),
    setTimer: (callback, ms) => setTimeout(callback, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  });
  addEventListener('online', () => connection.browserOnline());
  addEventListener('offline', () => connection.browserOffline());

  const auth = new AuthSession({
    fetch: (...args) => fetch(...args),
    persistent: localStorage,
    perTab: sessionStorage,
    origin: location.origin,
    now: () => Date.now(),
    locks: 'locks' in navigator ? navigator.locks : undefined,
    setTimer: (callback, ms) => setTimeout(callback, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  });

  const http = new HttpClient({
    fetch: (...args) => fetch(...args),
    tokens: auth,
    onReachability: (reachable) => connection.reached(reachable),
  });

  const api = new TonearmApi(http);
  const notices = new Notices();

  const playEvents = new PlayEventSender({
    store: new IndexedDbEventStore(indexedDB),
    send: (events, options) => api.recordPlayEvents(events, options),
    setTimer: (callback, ms) => setTimeout(callback, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  });
  const tracker = new PlayTracker((event) => void playEvents.record(event), () => crypto.randomUUID(), () => Date.now());

  const primed = new PrimedPlaylists();
  const bandwidth = new BandwidthMemory(localStorage, () => (navigator as Navigator & { connection?: LinkHints }).connection);
  const renditionChoice = new RenditionChoice(bandwidth);
  const { engine, hlsAttachers } = createAudio(auth, primed, renditionChoice);
  const warmer = new HlsWarmer((...args) => fetch(...args), primed, renditionChoice);
  const sources = new StreamSources(api, playbackPath(hlsJsSupported()), primed, (master, options) => warmer.warm(master, options));
  const player = new Player(engine, sources, notices, localStorage, tracker);
  const radio = new Radio(api, player);
  const autoplay = new AutoplaySetting(localStorage);
  installAutoplay(player, radio, autoplay);
  const tastePickerDismissed = new DeviceFlag(localStorage, 'tonearm.taste-picker.dismissed', false);
  const likes = new Likes(api, notices);
  const playlists = new Playlists(api, notices);
  const router = new Router();
  const settings = new SettingsStore(api, notices);
  const plan = new Plan(api);
  const recentSearches = new RecentSearches(localStorage);
  // The streaming quality follows the listener's setting, also while a track plays.
  settings.settings.subscribe((current) => {
    for (const hls of hlsAttachers) hls.setQuality(current?.streaming_quality ?? 'auto');
  });

  const releaseNotifier = new NewReleaseNotifier({
    api,
    storage: localStorage,
    show: (notice) => showReleaseNotice(notice, router),
    now: () => Date.now(),
    setTimer: (callback, ms) => setTimeout(callback, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  });
  // New releases are looked for while the setting is on and the browser allows notifications.
  settings.settings.subscribe((current) => {
    if (current?.notifications && notificationPermission() === 'granted') releaseNotifier.start();
    else releaseNotifier.stop();
  });

  // Events left from an earlier visit (a closed tab, a lost network) go out now, and again
  // whenever the network returns.
  if (auth.status.value === 'signed-in') void playEvents.flush();
  connection.online.subscribe((reachable) => reachable && auth.status.value === 'signed-in' && void playEvents.flush());
  // A hidden tab may never come back (phones close them freely): note what was heard and send it.
  addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'hidden' || auth.status.value !== 'signed-in') return;
    tracker.checkpoint();
    void playEvents.flush({ keepalive: true });
  });

  /** The failure a later load of the likes makes untrue (back online, say): dismissed then. */
  let likesFailure: number | null = null;
  const loadLikes = (): void => {
    likes.load().then(
      () => likesFailure !== null && notices.dismiss(likesFailure),
      () => (likesFailure = notices.show("Your likes couldn't be loaded.", { label: 'Retry', run: loadLikes })),
    );
  };
  /** The player needs the streaming quality before the Settings screen is ever opened. */
  const loadSettings = (): void => {
    settings.load().catch(() => undefined); // automatic quality until they arrive; Settings retries
    plan.load().catch(() => undefined); // nothing is marked Premium until it arrives
  };
  if (auth.status.value === 'signed-in') {
    loadLikes();
    loadSettings();
  }
  // Back from an outage: what was kept in memory (or failed to load) is asked for afresh;
  // the screen on display reloads its own data (`useAsync`).
  connection.returns.subscribe(() => {
    if (auth.status.value !== 'signed-in') return;
    loadLikes();
    loadSettings();
  });

  // Signed out (by the listener, or because the session ended): nothing of it stays on the device.
  auth.status.subscribe((status) => {
    if (status === 'signed-in') {
      loadLikes();
      loadSettings();
      return;
    }
    player.reset();
    radio.stop();
    autoplay.forget();
    tastePickerDismissed.forget();
    bandwidth.forget();
    likes.reset();
    settings.reset();
    plan.reset();
    releaseNotifier.forget();
    recentSearches.clear();
    void playEvents.discard();
  });

  /**
   * Signing out on purpose: the play under way ends, and its events are sent while the
   * session still can (for at most a few seconds), before the tokens are revoked.
   */
  const signOut = async (): Promise<void> => {
    player.reset();
    await Promise.race([playEvents.flush(), new Promise((resolve) => setTimeout(resolve, 3000))]);
    await auth.signOut();
  };

  return { auth, api, notices, player, radio, autoplay, tastePickerDismissed, likes, playlists, settings, plan, recentSearches, connection, router, signOut };
}

/**
 * Two elements, so tracks change without a gap (the next one buffers on the idle one). In
 * the document (hidden), so tools and tests can find them: the one that plays has the id
 * `tonearm-audio`, the other `tonearm-audio-next` (the engine swaps them).
 */
function hiddenAudioElement(id: string): HTMLAudioElement {
  const element = document.createElement('audio');
  element.id = id;
  element.hidden = true;
  document.body.append(element);
  return element;
}

/** The audio engine over both elements, with its hls.js attachers (they follow the quality setting). */
function createAudio(auth: AuthSession, primed: PrimedPlaylists, renditionChoice: RenditionChoice): { engine: AudioEngine; hlsAttachers: HlsAttacher[] } {
  const audioElements = [hiddenAudioElement('tonearm-audio'), hiddenAudioElement('tonearm-audio-next')] as const;
  /** One attacher of each kind per media element: hls.js holds one element at a time. */
  const attachers = [0, 1].map(() => ({
    hls: new HlsAttacher(
      {
        tokens: auth,
        primed,
        origin: location.origin,
        setTimer: (callback, ms) => setTimeout(callback, ms),
        clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      },
      renditionChoice,
    ),
    progressive: new ProgressiveAttacher(),
  }));
  const engine = new AudioEngine(audioElements, (source, deck) => {
    const forDeck = attachers[deck]!;
    return source.kind === 'hls' ? forDeck.hls : forDeck.progressive;
  });
  return { engine, hlsAttachers: attachers.map((forDeck) => forDeck.hls) };
}

/** A system notification; a tap brings the app forward, on the album when there is one. */
function showReleaseNotice(notice: ReleaseNotice, router: Router): void {
  const notification = new Notification(notice.title, {
    body: notice.body,
    icon: coverUrl(notice.coverId, 128) ?? '/icons/icon-192.png',
    tag: notice.albumId === null ? 'new-releases' : `album-${notice.albumId}`,
  });
  notification.onclick = () => {
    focus();
    router.navigate(notice.albumId === null ? '/' : `/album/${notice.albumId}`);
    notification.close();
  };
}
