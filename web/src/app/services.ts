import { AuthSession } from '../auth/session';
import { HttpClient } from '../shared/api/http';
import { TonearmApi } from '../shared/api/tonearm';
import { Notices } from '../shared/notices';
import { Observable } from '../shared/observable';
import { AudioEngine } from '../player/audio-engine';
import { Player } from '../player/player';
import { Router } from './router';

/** Whether the server can be reached: the browser's opinion, corrected by real requests. */
const online = new Observable<boolean>(navigator.onLine);
addEventListener('online', () => online.set(true));
addEventListener('offline', () => online.set(false));

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
  onReachability: (reachable) => online.set(reachable),
});

const api = new TonearmApi(http);
const notices = new Notices();

/** In the document (hidden), so tools and tests can find the one element that plays. */
const audioElement = document.createElement('audio');
audioElement.id = 'tonearm-audio';
audioElement.hidden = true;
document.body.append(audioElement);

const engine = new AudioEngine(audioElement);
const player = new Player(engine, api, notices, localStorage);

// Signed out (by the listener, or because the session ended): nothing of it stays on the device.
auth.status.subscribe((status) => {
  if (status === 'signed-out') player.reset();
});

export const services = { auth, api, notices, player, online, router: new Router() };
export type Services = typeof services;
