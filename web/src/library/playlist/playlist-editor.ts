import { ApiError } from '../../shared/api/errors';
import type { Tagged } from '../../shared/api/http';
import type { PlaylistDetail, PlaylistSummary, TonearmApi } from '../../shared/api/tonearm';
import type { Notices } from '../../shared/notices';
import { Observable } from '../../shared/observable';

export const CHANGED_ELSEWHERE =
  'This playlist was changed on another device, so your change was not saved. Here is the latest version: try again.';

type EditingApi = Pick<TonearmApi, 'playlist' | 'moveEntry' | 'removeEntry' | 'renamePlaylist'>;

/**
 * One playlist being looked at and edited. Every edit shows at once, is sent with the
 * version it was based on (`If-Match`), and edits go out one after another, each based on
 * the version the previous one produced. When another device changed the playlist
 * meanwhile (`412 playlist_changed`), the latest version is loaded and the listener told;
 * any other failure puts the list back as it was.
 */
export class PlaylistEditor {
  readonly detail = new Observable<PlaylistDetail | null>(null);
  private etag: string | null = null;
  private edits: Promise<void> = Promise.resolve();

  constructor(
    private readonly id: number,
    private readonly api: EditingApi,
    private readonly notices: Notices,
    private readonly onSaved: () => void = () => undefined,
  ) {}

  async load(signal?: AbortSignal): Promise<PlaylistDetail> {
    const { value, etag } = await this.api.playlist(this.id, signal);
    this.detail.set(value);
    this.etag = etag;
    return value;
  }

  /** Moves the entry at `from` so that it ends up at `to`. */
  move(from: number, to: number): Promise<void> {
    return this.edit(
      (detail) => {
        const entries = [...detail.entries];
        const [moved] = entries.splice(from, 1);
        if (!moved) return null;
        entries.splice(to, 0, moved);
        return { ...detail, entries };
      },
      (detail, etag) => {
        const entry = detail.entries[from];
        return entry ? this.api.moveEntry(this.id, entry.entry_id, to, etag) : null;
      },
    );
  }

  remove(entryId: number): Promise<void> {
    return this.edit(
      (detail) => ({ ...detail, entries: detail.entries.filter((entry) => entry.entry_id !== entryId), track_count: detail.track_count - 1 }),
      (_, etag) => this.api.removeEntry(this.id, entryId, etag),
    );
  }

  rename(name: string): Promise<void> {
    return this.edit(
      (detail) => ({ ...detail, name }),
      (_, etag) => this.api.renamePlaylist(this.id, name, etag),
    );
  }

  /**
   * `change` turns the list as shown into the list as edited (`null`: nothing to do);
   * `send` makes the request from the list as it was before, with the version it had.
   */
  private edit(change: (detail: PlaylistDetail) => PlaylistDetail | null, send: (before: PlaylistDetail, etag: string | null) => Promise<Tagged<PlaylistSummary>> | null): Promise<void> {
    const run = async () => {
      const before = this.detail.value;
      if (!before) return;
      const after = change(before);
      if (!after) return;
      const request = send(before, this.etag);
      if (!request) return;
      this.detail.set(after);
      try {
        const saved = await request;
        this.etag = saved.etag;
        const current = this.detail.value;
        if (current) this.detail.set({ ...current, ...saved.value, entries: current.entries });
        this.onSaved();
      } catch (error) {
        if (error instanceof ApiError && error.code === 'playlist_changed') {
          await this.load().catch(() => this.detail.set(before));
          this.notices.show(CHANGED_ELSEWHERE);
          return;
        }
        this.detail.set(before);
        this.notices.show(error instanceof ApiError ? error.message : 'The playlist could not be changed. Try again.');
      }
    };
    this.edits = this.edits.then(run);
    return this.edits;
  }
}
