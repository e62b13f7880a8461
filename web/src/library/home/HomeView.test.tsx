// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from '../../app/testing/cleanup';
import { renderWith } from '../../app/testing/render';
import { testServices } from '../../app/testing/test-services';
import type { ArtistSummary, Home, TastePicker } from '../../shared/api/tonearm';
import { byLabel, byText, click, eventually } from '../../shared/testing/dom';
import { json, noContent } from '../../shared/testing/fake-server';
import { track } from '../../shared/testing/fixtures';
import { HomeView } from './HomeView';

afterEach(cleanup);

const home: Home = {
  sections: [
    {
      kind: 'mixes',
      id: 'made_for_you',
      title: 'Made for you',
      items: [
        { id: 'mix-1', title: 'Jazz Mix', description: 'Miles Davis, Nina Simone and more', cover_ids: ['c4', 'c5', 'c6', 'c7'], track_count: 30 },
        { id: 'mix-2', title: 'Folk Mix', description: 'The Copper Kettles and more', cover_ids: ['c8'], track_count: 12 },
      ],
    },
    { kind: 'recommended', id: 'discover', title: 'Discover', items: [{ track: track(1, 'Blue in Green'), reason: { kind: 'because_you_listened', text: 'Because you listened to Miles Davis' } }] },
  ],
};

function artist(id: number, name: string): ArtistSummary {
  return { id, name, album_count: 1, track_count: 10, added_at: 0, cover_id: null };
}

const picker: TastePicker = { show: true, artists: [artist(1, 'Ada'), artist(2, 'Bo'), artist(3, 'Cy'), artist(4, 'Di')] };

function setUp(answer: TastePicker = { show: false, artists: [] }) {
  const setup = testServices({ signedIn: true });
  setup.server
    .on('GET', '/api/v1/home', () => json(home))
    .on('GET', '/api/v1/me/taste-picker', () => json(answer))
    .on('GET', '/api/v1/albums/8', () => json({ id: 8, cover_id: 'c8' }));
  for (const id of [4, 5, 6, 7]) setup.server.on('GET', `/api/v1/albums/${id}`, () => json({ id, cover_id: `c${id}` }));
  const view = renderWith(setup.services, <HomeView />);
  return { ...setup, view };
}

describe('Home', () => {
  it('shows Made for you as mix cards: a 2×2 mosaic of four covers, one cover when there are fewer', async () => {
    const { view } = setUp();
    await eventually(() => expect(view.querySelectorAll('.mix-card .mosaic img')).toHaveLength(4));
    const cards = [...byLabel(view, 'Made for you').querySelectorAll<HTMLAnchorElement>('.mix-card')];
    expect(cards.map((card) => card.getAttribute('href'))).toEqual(['/mix/mix-1', '/mix/mix-2']);
    expect(cards[0]?.querySelector('.card-note')?.textContent).toBe('Miles Davis, Nina Simone and more');
    expect(cards[1]?.querySelector('.mosaic')).toBeNull();
    await eventually(() => expect(cards[1]?.querySelector('img')?.getAttribute('src')).toContain('/api/v1/covers/c8'));
  });

  it('shows Discover as track cards with their reason, and a tap plays them', async () => {
    const { view, services } = setUp();
    await eventually(() => expect(byLabel(view, 'Discover').querySelector('.card-note')?.textContent).toBe('Because you listened to Miles Davis'));
    click(byLabel(view, 'Play Blue in Green by Aurora Lane'));
    expect(services.player.currentTrack?.from).toBe('Discover');
  });

  it('offers the picker to a newcomer: Done after three picks follows them and reloads Home', async () => {
    const { view, server } = setUp(picker);
    await eventually(() => expect(byText(view, 'Choose three artists you like', 'h2')).toBeTruthy());
    for (const id of [1, 2, 3, 4]) server.on('PUT', `/api/v1/me/likes/artists/${id}`, () => noContent());
    const done = () => view.querySelector<HTMLButtonElement>('.taste-actions .primary')!;
    click(byText(view, 'Ada', 'button'));
    click(byText(view, 'Bo', 'button'));
    expect(done().disabled).toBe(true);
    expect(done().textContent).toBe('Pick 1 more');
    click(byText(view, 'Cy', 'button'));
    expect(byText(view, 'Cy', 'button').getAttribute('aria-pressed')).toBe('true');
    expect(done().disabled).toBe(false);
    server.on('GET', '/api/v1/me/taste-picker', () => json({ show: false, artists: [] }));
    click(done());
    await eventually(() => expect(view.querySelector('.taste-picker')).toBeNull());
    expect(server.requests.filter((request) => request.method === 'PUT').map((request) => request.path)).toEqual([
      '/api/v1/me/likes/artists/1',
      '/api/v1/me/likes/artists/2',
      '/api/v1/me/likes/artists/3',
    ]);
    expect(server.sent('GET', '/api/v1/home')).toHaveLength(2);
  });

  it('"Not now" hides the picker on this device', async () => {
    const { view, services } = setUp(picker);
    await eventually(() => expect(view.querySelector('.taste-picker')).not.toBeNull());
    click(byText(view, 'Not now', 'button'));
    await eventually(() => expect(view.querySelector('.taste-picker')).toBeNull());
    expect(services.tastePickerDismissed.on.value).toBe(true);
  });
});
