import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../shared/api/errors';
import type { LikedTracks } from '../../shared/api/tonearm';
import { Notices } from '../../shared/notices';
import { Likes } from './likes';

const page = <T,>(items: T[]) => ({ items, total: items.length });

function setUp(setLiked: (kind: string, id: number, liked: boolean) => Promise<void>) {
  const api = {
    likedTracks: vi.fn(async () => page([{ track: { id: 7 }, liked_at: 1 }]) as unknown as LikedTracks),
    likedAlbums: vi.fn(async () => page([])),
    likedArtists: vi.fn(async () => page([])),
    setLiked: vi.fn(setLiked),
  };
  const notices = new Notices();
  return { api, notices, likes: new Likes(api as never, notices) };
}

describe('Likes', () => {
  it('loads what was liked and changes a heart at once, then on the server', async () => {
    let release: () => void = () => undefined;
    const { api, likes } = setUp(() => new Promise((resolve) => (release = resolve)));
    await likes.load();
    expect(likes.has('tracks', 7)).toBe(true);
    const toggling = likes.toggle('tracks', 8, 'Honey');
    expect(likes.has('tracks', 8)).toBe(true);
    release();
    await toggling;
    expect(api.setLiked).toHaveBeenCalledWith('tracks', 8, true);
    expect(likes.revision.value).toBe(1);
  });

  it('puts the heart back and offers a retry when the server refuses', async () => {
    const { likes, notices } = setUp(async () => {
      throw new ApiError(0, 'network', "Can't reach your Tonearm server.");
    });
    await likes.load();
    await likes.toggle('tracks', 7, 'Velvet');
    expect(likes.has('tracks', 7)).toBe(true);
    expect(notices.current.value?.action?.label).toBe('Retry');
    expect(likes.revision.value).toBe(0);
  });
});
