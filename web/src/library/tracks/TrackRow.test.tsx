// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from '../../app/testing/cleanup';
import { renderWith } from '../../app/testing/render';
import { testServices } from '../../app/testing/test-services';
import { byLabel, byText, click, eventually } from '../../shared/testing/dom';
import { json, noContent } from '../../shared/testing/fake-server';
import { account, playlist, summaryOf, track } from '../../shared/testing/fixtures';
import { TrackList } from './TrackList';
import { TrackRow } from './TrackRow';

afterEach(cleanup);

const midnight = track(1, 'Midnight Drive', { duration_ms: 215_000, artists: [{ id: 3, name: 'Aurora Lane' }, { id: 5, name: 'Kit Vega' }] });

function renderRow(setUp = testServices(), props: { position?: number | null; showAlbum?: boolean } = {}) {
  const view = renderWith(
    setUp.services,
    <ol>
      <TrackRow track={midnight} position={props.position ?? null} showAlbum={props.showAlbum ?? true} playing={false} origin={{}} onPlay={() => undefined} />
    </ol>,
  );
  return { ...setUp, view };
}

const text = (root: ParentNode, selector: string) => root.querySelector(selector)?.textContent;

describe('a track row', () => {
  it('shows the title, every artist, the album and the length', () => {
    const { view } = renderRow();
    expect(text(view, '.track-title')).toBe('Midnight Drive');
    expect(text(view, '.track-subtitle')).toBe('Aurora Lane, Kit Vega · Northern Lights');
    expect(text(view, '.track-duration')).toBe('3:35');
  });

  it('shows the track number instead of the cover in a numbered list, and no album when told not to', () => {
    const { view } = renderRow(testServices(), { position: 7, showAlbum: false });
    expect(text(view, '.track-number')).toBe('7');
    expect(view.querySelector('.track-cover')).toBeNull();
    expect(text(view, '.track-subtitle')).toBe('Aurora Lane, Kit Vega');
  });

  it('likes the track on the server from its menu, and then shows it liked', async () => {
    const setUp = testServices();
    setUp.server.on('PUT', '/api/v1/me/likes/tracks/1', () => noContent());
    const { view, server, services } = renderRow(setUp);
    expect(view.querySelector('.liked-mark')).toBeNull();
    click(byLabel(view, 'More options for Midnight Drive'));
    click(byText(view, 'Add to Liked Songs', '[role="menuitem"]'));
    await eventually(() => expect(services.notices.current.value?.message).toBe('Added “Midnight Drive” to Liked Songs.'));
    expect(server.sent('PUT', '/api/v1/me/likes/tracks/1')).toHaveLength(1);
    expect(view.querySelector('.liked-mark')).not.toBeNull();
    expect(view.querySelector('[role="menu"]')).toBeNull();
  });

  it('puts the like back and says why when the server refuses it', async () => {
    const setUp = testServices();
    setUp.server.on('PUT', '/api/v1/me/likes/tracks/1', () => json({ error: { code: 'internal', message: 'boom' } }, { status: 500 }));
    const { view, services } = renderRow(setUp);
    click(byLabel(view, 'More options for Midnight Drive'));
    click(byText(view, 'Add to Liked Songs', '[role="menuitem"]'));
    await eventually(() => expect(services.notices.current.value?.message).toBe('Your Tonearm server had a problem. Try again in a moment.'));
    expect(view.querySelector('.liked-mark')).toBeNull();
    click(byLabel(view, 'More options for Midnight Drive'));
    expect(byText(view, 'Add to Liked Songs', '[role="menuitem"]')).toBeTruthy();
  });

  it('asks before adding it to a playlist that has it already, and adds it only when told to', async () => {
    const setUp = testServices();
    const roadTrip = playlist(7, 'Road trip', [midnight]);
    setUp.server
      .on('GET', '/api/v1/me', () => json(account(1, 'maya')))
      .on('GET', '/api/v1/me/playlists', () => json({ items: [summaryOf(roadTrip)] }))
      .on('GET', '/api/v1/playlists/7', () => json(roadTrip, { etag: '"v1"' }))
      .on('POST', '/api/v1/playlists/7/tracks', () => json(summaryOf(roadTrip)));
    const { view, server } = renderRow(setUp);
    click(byLabel(view, 'More options for Midnight Drive'));
    click(byText(view, 'Add to playlist', '[role="menuitem"]'));
    await eventually(() => expect(byText(view, 'Road trip', '.sheet-row .track-title')).toBeTruthy());
    click(byText(view, 'Road trip', '.sheet-row .track-title').closest('button')!);
    await eventually(() => expect(view.querySelector('.sheet-text')?.textContent).toBe('“Midnight Drive” is already in Road trip.'));
    click(byText(view, "Don't add", 'button'));
    expect(server.sent('POST', '/api/v1/playlists/7/tracks')).toHaveLength(0);

    click(byLabel(view, 'More options for Midnight Drive'));
    click(byText(view, 'Add to playlist', '[role="menuitem"]'));
    await eventually(() => expect(byText(view, 'Road trip', '.sheet-row .track-title')).toBeTruthy());
    click(byText(view, 'Road trip', '.sheet-row .track-title').closest('button')!);
    await eventually(() => expect(byText(view, 'Add anyway', 'button')).toBeTruthy());
    click(byText(view, 'Add anyway', 'button'));
    await eventually(() => expect(server.sent('POST', '/api/v1/playlists/7/tracks')).toHaveLength(1));
  });

  it('“Play next” puts it right after the playing track and says so', () => {
    const { view, services } = renderRow();
    services.player.playTracks([track(8, 'Now'), track(9, 'Later')], 0);
    click(byLabel(view, 'More options for Midnight Drive'));
    click(byText(view, 'Play next', '[role="menuitem"]'));
    expect(services.player.queue.value.entries.map((entry) => entry.track.title)).toEqual(['Now', 'Midnight Drive', 'Later']);
    expect(services.notices.current.value?.message).toBe('“Midnight Drive” plays next.');
  });
});

describe('a track list', () => {
  const tracks = [track(1, 'First'), track(2, 'Second'), track(3, 'Third')];

  it('tapping a track plays the list from there, and marks that row as playing', async () => {
    const { services, server, engine } = testServices();
    server.on('GET', '/api/v1/tracks/2/stream-url', () => json({ url: '/api/v1/tracks/2/stream?sig=s', expires_at: 0 }));
    const view = renderWith(services, <TrackList tracks={tracks} numbered showAlbum={false} origin={{ context: { kind: 'album', id: '4' } }} />);
    click(byLabel(view, 'Play Second by Aurora Lane'));
    expect(services.player.queue.value.entries.map((entry) => entry.track.title)).toEqual(['First', 'Second', 'Third']);
    expect(services.player.currentTrack?.title).toBe('Second');
    expect(services.player.currentTrack?.context).toEqual({ kind: 'album', id: '4' });
    await eventually(() => expect(engine.loaded.map((load) => load.source.url)).toEqual(['/api/v1/tracks/2/stream?sig=s']));
    const playing = [...view.querySelectorAll('.track-row.is-playing .track-title')].map((title) => title.textContent);
    expect(playing).toEqual(['Second']);
  });
});

describe('song radio from a track row', () => {
  it('starts a radio from the track and says so', async () => {
    const setUp = testServices();
    setUp.server.on('GET', '/api/v1/radio', () =>
      json({ seed: 'track:1', title: 'Midnight Drive Radio', next_offset: 25, items: [2, 3, 4, 5].map((id) => ({ track: track(id, `Radio ${id}`), reason: { kind: 'radio', text: 'Like Midnight Drive' } })) }),
    );
    for (const id of [2, 3, 4, 5]) setUp.server.on('GET', `/api/v1/tracks/${id}/stream-url`, () => json({ url: `/t/${id}`, expires_at: 0 }));
    const { view, services, server } = renderRow(setUp);
    click(byLabel(view, 'More options for Midnight Drive'));
    click(byText(view, 'Go to song radio', '[role="menuitem"]'));
    await eventually(() => expect(services.notices.current.value?.message).toBe('Playing Midnight Drive Radio.'));
    expect(server.sent('GET', '/api/v1/radio')[0]?.query.get('seed')).toBe('track:1');
    expect(services.player.currentTrack?.title).toBe('Radio 2');
    expect(services.radio.station.value?.title).toBe('Midnight Drive Radio');
  });
});
