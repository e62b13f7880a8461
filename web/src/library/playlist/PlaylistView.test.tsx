// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from '../../app/testing/cleanup';
import { renderWith } from '../../app/testing/render';
import { testServices } from '../../app/testing/test-services';
import { Toast } from '../../app/Toast';
import type { PlaylistDetail } from '../../shared/api/tonearm';
import { byLabel, byText, click, eventually, press, type } from '../../shared/testing/dom';
import { json } from '../../shared/testing/fake-server';
import { account, playlist, summaryOf, track } from '../../shared/testing/fixtures';
import { CHANGED_ELSEWHERE } from './playlist-editor';
import { PlaylistView } from './PlaylistView';

afterEach(cleanup);

const roadTrip = playlist(7, 'Road trip', [track(1, 'First'), track(2, 'Second'), track(3, 'Third')]);

/**
 * The playlist as the server holds it, at version `"v1"`; `viewer` is who looks at it (the
 * owner is user 1). Every edit the server accepts answers the next version.
 */
async function openPlaylist(viewer = account(1, 'maya'), shown: PlaylistDetail = roadTrip) {
  const { services, server } = testServices();
  let version = 1;
  const accepted = (detail: PlaylistDetail) => json(summaryOf(detail), { etag: `"v${++version}"` });
  server
    .on('GET', '/api/v1/me', () => json(viewer))
    .on('GET', '/api/v1/playlists/7', () => json(shown, { etag: '"v1"' }))
    .on('PATCH', '/api/v1/playlists/7', (request) => accepted({ ...roadTrip, name: (request.body as { name: string }).name }))
    .on('DELETE', '/api/v1/playlists/7/entries/20', () => accepted({ ...roadTrip, entries: roadTrip.entries.filter((entry) => entry.entry_id !== 20) }));
  const view = renderWith(
    services,
    <>
      <PlaylistView id={7} />
      <Toast />
    </>,
  );
  await eventually(() => expect(view.querySelector('h1')?.textContent).toBe('Road trip'));
  return { view, server, services };
}

const titles = (view: HTMLElement) => [...view.querySelectorAll('.track-list .track-title')].map((title) => title.textContent);

function rename(view: HTMLElement, name: string): void {
  click(byLabel(view, 'More options for Road trip'));
  click(byText(view, 'Rename', 'button'));
  type(byLabel(view, 'Rename playlist').querySelector('input')!, name);
  click(byText(view, 'Save', 'button'));
}

describe('a playlist', () => {
  it('lists its songs in order, with the controls its owner edits it by', async () => {
    const { view } = await openPlaylist();
    expect(titles(view)).toEqual(['First', 'Second', 'Third']);
    expect(view.querySelector('.detail-meta')?.textContent).toContain('maya · 3 songs');
    expect(byLabel(view, 'Move First, song 1 of 3')).toBeTruthy();
    expect(byLabel(view, 'More options for Road trip')).toBeTruthy();
  });

  it('shows the cover the server made of its albums, and a tile of its name without one', async () => {
    const covered = await openPlaylist(account(1, 'maya'), { ...roadTrip, cover_id: 'mosaic1234' });
    const cover = covered.view.querySelector('.detail-cover');
    expect(cover?.tagName).toBe('IMG');
    expect(cover?.getAttribute('src')).toContain('mosaic1234');
    cleanup();
    const bare = await openPlaylist();
    expect(bare.view.querySelector('.detail-cover')?.classList.contains('playlist-art')).toBe(true);
  });

  it("someone else's playlist can be played but not edited", async () => {
    const { view } = await openPlaylist(account(2, 'sam'));
    expect(view.querySelectorAll('.drag-handle')).toHaveLength(0);
    expect(() => byLabel(view, 'More options for Road trip')).toThrow();
    click(byLabel(view, 'More options for Second'));
    expect(() => byText(view, 'Remove from this playlist', '[role="menuitem"]')).toThrow();
  });

  it('a rename sends the new name with the version it was based on', async () => {
    const { view, server } = await openPlaylist();
    rename(view, 'Night drive');
    await eventually(() => expect(server.sent('PATCH', '/api/v1/playlists/7')).toHaveLength(1));
    expect(view.querySelector('h1')?.textContent).toBe('Night drive');
    const [request] = server.sent('PATCH', '/api/v1/playlists/7');
    expect(request?.body).toEqual({ name: 'Night drive' });
    expect(request?.headers.get('if-match')).toBe('"v1"');
  });

  it('removing a song deletes its entry with If-Match, and the row goes', async () => {
    const { view, server } = await openPlaylist();
    click(byLabel(view, 'More options for Second'));
    click(byText(view, 'Remove from this playlist', '[role="menuitem"]'));
    await eventually(() => expect(server.sent('DELETE', '/api/v1/playlists/7/entries/20')).toHaveLength(1));
    expect(titles(view)).toEqual(['First', 'Third']);
    expect(server.sent('DELETE', '/api/v1/playlists/7/entries/20')[0]?.headers.get('if-match')).toBe('"v1"');
  });

  it('moving a song down by keyboard shows at once, sends its new position, and the next edit builds on the version that answered', async () => {
    const { view, server } = await openPlaylist();
    let answer: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    server.on('PUT', '/api/v1/playlists/7/entries/10/position', async () => {
      await answered;
      return json(summaryOf(roadTrip), { etag: '"v2"' });
    });
    press(byLabel(view, 'Move First, song 1 of 3'), 'ArrowDown');
    await eventually(() => expect(titles(view)).toEqual(['Second', 'First', 'Third']));
    const [move] = server.sent('PUT', '/api/v1/playlists/7/entries/10/position');
    expect(move?.body).toEqual({ position: 1 });
    expect(move?.headers.get('if-match')).toBe('"v1"');
    answer();

    click(byLabel(view, 'More options for Second'));
    click(byText(view, 'Remove from this playlist', '[role="menuitem"]'));
    await eventually(() => expect(server.sent('DELETE', '/api/v1/playlists/7/entries/20')).toHaveLength(1));
    expect(server.sent('DELETE', '/api/v1/playlists/7/entries/20')[0]?.headers.get('if-match')).toBe('"v2"');
  });

  it('when another device changed it meanwhile, shows the latest version and says the change was not saved', async () => {
    const { view, server } = await openPlaylist();
    const elsewhere = playlist(7, 'Road trip', [track(1, 'First'), track(2, 'Second'), track(3, 'Third'), track(4, 'Added on the phone')]);
    server
      .on('PATCH', '/api/v1/playlists/7', () => json({ error: { code: 'playlist_changed', message: 'The playlist changed since that version.' } }, { status: 412 }))
      .on('GET', '/api/v1/playlists/7', () => json(elsewhere, { etag: '"v5"' }));
    rename(view, 'Night drive');
    await eventually(() => expect(view.querySelector('.toast')?.textContent).toContain(CHANGED_ELSEWHERE));
    expect(view.querySelector('h1')?.textContent).toBe('Road trip');
    expect(titles(view)).toEqual(['First', 'Second', 'Third', 'Added on the phone']);
  });
});
