import { ApiError } from '../../shared/api/errors';
import type { LikeKind, TonearmApi } from '../../shared/api/tonearm';
import type { Notices } from '../../shared/notices';
import { Observable } from '../../shared/observable';

/** The server's largest page of liked items. */
const PAGE = 500;

type Liked = Record<LikeKind, ReadonlySet<number>>;

const NOTHING: Liked = { tracks: new Set(), albums: new Set(), artists: new Set() };

/**
 * What the listener liked, as sets of ids every heart button reads. A tap changes the
 * heart at once and the server after; a failed change puts the heart back and says why.
 */
export class Likes {
  readonly liked = new Observable<Liked>(NOTHING);
  /** Bumped by every change, so lists of liked things know to load again. */
  readonly revision = new Observable(0);

  constructor(
    private readonly api: Pick<TonearmApi, 'likedTracks' | 'likedAlbums' | 'likedArtists' | 'setLiked'>,
    private readonly notices: Notices,
  ) {}

  async load(): Promise<void> {
    const [tracks, albums, artists] = await Promise.all([
      this.allIds((offset) => this.api.likedTracks({ limit: PAGE, offset }).then((page) => page.items.map((item) => item.track.id))),
      this.allIds((offset) => this.api.likedAlbums({ limit: PAGE, offset }).then((page) => page.items.map((item) => item.album.id))),
      this.allIds((offset) => this.api.likedArtists({ limit: PAGE, offset }).then((page) => page.items.map((item) => item.artist.id))),
    ]);
    this.liked.set({ tracks, albums, artists });
  }

  has(kind: LikeKind, id: number): boolean {
    return this.liked.value[kind].has(id);
  }

  async toggle(kind: LikeKind, id: number, name: string): Promise<void> {
    const liked = !this.has(kind, id);
    this.apply(kind, id, liked);
    try {
      await this.api.setLiked(kind, id, liked);
      this.revision.update((count) => count + 1);
      this.notices.show(liked ? `Added “${name}” to ${kind === 'tracks' ? 'Liked Songs' : 'Your Library'}.` : `Removed “${name}” from ${kind === 'tracks' ? 'Liked Songs' : 'Your Library'}.`);
    } catch (error) {
      this.apply(kind, id, !liked);
      this.notices.show(error instanceof ApiError ? error.message : 'That did not work. Try again.', {
        label: 'Retry',
        run: () => void this.toggle(kind, id, name),
      });
    }
  }

  /**
   * Likes (follows) several at once, as the first-run picker does: shown at once, on the
   * server after; a refusal takes back the ones not saved and rejects.
   */
  async likeAll(kind: LikeKind, ids: number[]): Promise<void> {
    const fresh = ids.filter((id) => !this.has(kind, id));
    fresh.forEach((id) => this.apply(kind, id, true));
    const saved = await Promise.allSettled(fresh.map((id) => this.api.setLiked(kind, id, true)));
    saved.forEach((result, index) => result.status === 'rejected' && this.apply(kind, fresh[index]!, false));
    this.revision.update((count) => count + 1);
    const failed = saved.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  reset(): void {
    this.liked.set(NOTHING);
  }

  private apply(kind: LikeKind, id: number, liked: boolean): void {
    const next = new Set(this.liked.value[kind]);
    if (liked) next.add(id);
    else next.delete(id);
    this.liked.set({ ...this.liked.value, [kind]: next });
  }

  private async allIds(page: (offset: number) => Promise<number[]>): Promise<Set<number>> {
    const ids = new Set<number>();
    for (let offset = 0; ; offset += PAGE) {
      const batch = await page(offset);
      batch.forEach((id) => ids.add(id));
      if (batch.length < PAGE) return ids;
    }
  }
}
