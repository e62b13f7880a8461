import type { AlbumSummary, TonearmApi } from '../../shared/api/tonearm';

type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** While the app is open, the feed is asked again this often. */
export const POLL_EVERY_MS = 30 * 60 * 1000;
/** The first look, right after notifications are switched on, covers the past week. */
export const FIRST_LOOK_BACK_MS = 7 * 24 * 3600 * 1000;
/** More new albums than this at once make one summary rather than a notification each. */
const SUMMARY_ABOVE = 3;
/** Albums remembered as shown, newest last: far more than a feed brings between two looks. */
const REMEMBERED = 200;
const STORAGE_KEY = 'tonearm.new-releases';

/** What a notification says; `albumId` when it is about one album (a tap opens it). */
export interface ReleaseNotice {
  title: string;
  body: string;
  albumId: number | null;
  coverId: string | null;
}

export interface NewReleaseNotifierDependencies {
  api: Pick<TonearmApi, 'newReleases'>;
  storage: KeyValueStorage;
  show: (notice: ReleaseNotice) => void;
  now: () => number;
  setTimer: (callback: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
}

interface Remembered {
  /** Albums added up to here (Unix ms) have been looked at. */
  since: number;
  shown: number[];
}

/**
 * New releases from the artists the listener likes, as notifications: the feed is asked on
 * `start` and every half hour while the app is open; each album is shown once (remembered
 * on this device, across reloads); many at once make one summary.
 */
export class NewReleaseNotifier {
  private timer: unknown = null;
  private checking: Promise<void> | null = null;

  constructor(private readonly deps: NewReleaseNotifierDependencies) {}

  /** Notifications are on and allowed: look now, then periodically. Idempotent. */
  start(): void {
    if (this.timer !== null) return;
    this.timer = this.deps.setTimer(() => this.tick(), POLL_EVERY_MS);
    void this.check();
  }

  stop(): void {
    if (this.timer === null) return;
    this.deps.clearTimer(this.timer);
    this.timer = null;
  }

  /** Signed out: nothing of this listener stays on the device. */
  forget(): void {
    this.stop();
    this.deps.storage.removeItem(STORAGE_KEY);
  }

  /** One look at the feed; failures wait quietly for the next one (a notification is no emergency). */
  check(): Promise<void> {
    this.checking ??= this.lookAtFeed()
      .catch(() => undefined)
      .finally(() => (this.checking = null));
    return this.checking;
  }

  private tick(): void {
    this.timer = this.deps.setTimer(() => this.tick(), POLL_EVERY_MS);
    void this.check();
  }

  private async lookAtFeed(): Promise<void> {
    const remembered = this.remembered();
    const albums: AlbumSummary[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.deps.api.newReleases(remembered.since, cursor);
      albums.push(...page.items);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    const shown = new Set(remembered.shown);
    const fresh = albums.filter((album) => !shown.has(album.id));
    for (const notice of noticesFor(fresh)) this.deps.show(notice);
    // Albums added within the same millisecond as the newest may still arrive: look again
    // from that millisecond, and let `shown` keep them from being announced twice.
    const newest = Math.max(...albums.map((album) => album.added_at));
    const since = albums.length > 0 ? Math.max(remembered.since, newest - 1) : remembered.since;
    this.remember({ since, shown: [...remembered.shown, ...fresh.map((album) => album.id)].slice(-REMEMBERED) });
  }

  private remembered(): Remembered {
    try {
      const parsed: unknown = JSON.parse(this.deps.storage.getItem(STORAGE_KEY) ?? 'null');
      if (isRemembered(parsed)) return parsed;
    } catch {
      // Unreadable: start afresh.
    }
    return { since: this.deps.now() - FIRST_LOOK_BACK_MS, shown: [] };
  }

  private remember(value: Remembered): void {
    this.deps.storage.setItem(STORAGE_KEY, JSON.stringify(value));
  }
}

function isRemembered(value: unknown): value is Remembered {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Remembered>;
  return typeof candidate.since === 'number' && Array.isArray(candidate.shown) && candidate.shown.every((id) => typeof id === 'number');
}

/** One notification per album, or a summary when there are many. */
export function noticesFor(albums: AlbumSummary[]): ReleaseNotice[] {
  if (albums.length > SUMMARY_ABOVE) {
    const artists = [...new Set(albums.map((album) => album.artist.name))];
    const named = artists.slice(0, 2).join(', ') + (artists.length > 2 ? ` and ${artists.length - 2} more` : '');
    return [{ title: `${albums.length} new releases`, body: `From ${named}`, albumId: null, coverId: null }];
  }
  return albums.map((album) => ({
    title: `New from ${album.artist.name}`,
    body: album.title,
    albumId: album.id,
    coverId: album.cover_id ?? null,
  }));
}
