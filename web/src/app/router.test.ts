import { describe, expect, it } from 'vitest';
import { parseRoute } from './router';

describe('parseRoute', () => {
  it('knows the tabs, detail pages and the sign-in callback', () => {
    expect(parseRoute('/')).toEqual({ page: 'home' });
    expect(parseRoute('/search')).toEqual({ page: 'search' });
    expect(parseRoute('/library')).toEqual({ page: 'library' });
    expect(parseRoute('/album/42')).toEqual({ page: 'album', id: 42 });
    expect(parseRoute('/artist/7')).toEqual({ page: 'artist', id: 7 });
    expect(parseRoute('/genre/3')).toEqual({ page: 'genre', id: 3 });
    expect(parseRoute('/playlist/12')).toEqual({ page: 'playlist', id: 12 });
    expect(parseRoute('/liked')).toEqual({ page: 'liked' });
    expect(parseRoute('/settings')).toEqual({ page: 'settings' });
    expect(parseRoute('/app/callback')).toEqual({ page: 'callback' });
    expect(parseRoute('/mix/mix-2')).toEqual({ page: 'mix', id: 'mix-2' });
    expect(parseRoute('/mix/popular')).toEqual({ page: 'mix', id: 'popular' });
  });

  it('anything else is not found, including ids that are not numbers', () => {
    for (const path of ['/album/abc', '/album/', '/albums/1', '/album/1/extra', '/playlist/x', '/nothing', '/mix/', '/mix/a/b', '/mix/a%20b']) {
      expect(parseRoute(path)).toEqual({ page: 'not-found' });
    }
  });
});
