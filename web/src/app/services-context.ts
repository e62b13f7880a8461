import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { AuthSession } from '../auth/session';
import type { Likes } from '../library/likes/likes';
import type { Playlists } from '../library/playlist/playlists';
import type { Player } from '../player/player';
import type { Radio } from '../player/radio';
import type { RecentSearches } from '../search/recent-searches';
import type { AutoplaySetting } from '../settings/autoplay-setting';
import type { Plan } from '../settings/plan';
import type { SettingsStore } from '../settings/settings-store';
import type { TonearmApi } from '../shared/api/tonearm';
import type { DeviceFlag } from '../shared/device-flag';
import type { Notices } from '../shared/notices';
import type { Connection } from './connection';
import type { Router } from './router';

/** What components work with: the app's, wired once at start (`createServices`), or a test's. */
export interface Services {
  auth: AuthSession;
  api: TonearmApi;
  notices: Notices;
  player: Player;
  /** Endless radios from a seed; it extends the player's queue while one plays. */
  radio: Radio;
  /** This device's Autoplay switch (similar music after an album or playlist ends). */
  autoplay: AutoplaySetting;
  /** Covers of albums known by id alone (a mix's mosaic). */
  /** Whether "Not now" was chosen for the first-run artist picker on this device. */
  tastePickerDismissed: DeviceFlag;
  likes: Likes;
  playlists: Playlists;
  settings: SettingsStore;
  /** What the listener's plan allows: marks what a free listener cannot play. */
  plan: Plan;
  recentSearches: RecentSearches;
  /** Whether the server can be reached, and when it answered again after an outage. */
  connection: Connection;
  router: Router;
  /** Signing out on purpose: the play under way is reported first, then the session ends. */
  signOut: () => Promise<void>;
}

const ServicesContext = createContext<Services | null>(null);

/** Hands the services to every component below it, so none has to import them. */
export const ServicesProvider = ServicesContext.Provider;

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices() needs a <ServicesProvider> above the component.');
  return services;
}
