// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from '../../app/testing/cleanup';
import { renderWith } from '../../app/testing/render';
import { testServices } from '../../app/testing/test-services';
import type { Mix } from '../../shared/api/tonearm';
import { byLabel, click, eventually } from '../../shared/testing/dom';
import { json } from '../../shared/testing/fake-server';
import { track } from '../../shared/testing/fixtures';
import { MixView } from './MixView';

afterEach(cleanup);

const reason = { kind: 'because_you_listened' as const, text: 'Because you listened to Miles Davis' };
const mix: Mix = {
  id: 'mix-1',
  title: 'Jazz Mix',
  description: 'Miles Davis, Nina Simone and more',
  cover_ids: ['c11', 'c12', 'c13', 'c14'],
  tracks: [11, 12, 13, 14].map((id) => ({ track: track(id, `Song ${id}`, { album: { id, title: `Album ${id}` }, cover_id: `c${id}` }), reason })),
};

describe('a mix page', () => {
  it('shows the mosaic from its tracks\' covers, the title and description, the tracks with their reasons, and plays as the mix', async () => {
    const { services, server } = testServices({ signedIn: true });
    server.on('GET', '/api/v1/me/mixes/mix-1', () => json(mix));
    const view = renderWith(services, <MixView id="mix-1" />);
    await eventually(() => expect(view.querySelectorAll('.detail-header .mosaic img')).toHaveLength(4));
    expect(server.requests.some((request) => request.path.startsWith('/api/v1/albums/'))).toBe(false);
    expect(view.querySelector('h1')?.textContent).toBe('Jazz Mix');
    expect(view.querySelector('.detail-description')?.textContent).toBe('Miles Davis, Nina Simone and more');
    expect([...view.querySelectorAll('.track-note')].map((note) => note.textContent)).toEqual(Array(4).fill(reason.text));
    click(byLabel(view, 'Play Jazz Mix'));
    expect(services.player.currentTrack?.title).toBe('Song 11');
    expect(services.player.currentTrack?.from).toBe('Jazz Mix');
    expect(services.player.queue.value.entries).toHaveLength(4);
  });

  it('says so when the mix is gone', async () => {
    const { services, server } = testServices({ signedIn: true });
    server.on('GET', '/api/v1/me/mixes/mix-9', () => json({ error: { code: 'mix_not_found', message: 'That mix is no longer there.' } }, { status: 404 }));
    const view = renderWith(services, <MixView id="mix-9" />);
    await eventually(() => expect(view.querySelector('[role="alert"]')?.textContent).toContain('This mix has been replaced by newer ones.'));
  });
});
