// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from '../app/testing/cleanup';
import { renderWith } from '../app/testing/render';
import { testServices } from '../app/testing/test-services';
import { byLabel, click, eventually } from '../shared/testing/dom';
import { json } from '../shared/testing/fake-server';
import { track } from '../shared/testing/fixtures';
import { RadioButton } from './RadioButton';

afterEach(cleanup);

describe('the radio button of an album, artist or playlist', () => {
  it('starts the station of its seed and plays it', async () => {
    const setUp = testServices();
    setUp.server.on('GET', '/api/v1/radio', () =>
      json({ seed: 'album:7', title: 'Northern Lights Radio', next_offset: 25, items: [2, 3].map((id) => ({ track: track(id, `Radio ${id}`), reason: { kind: 'radio', text: 'Like Northern Lights' } })) }),
    );
    for (const id of [2, 3]) setUp.server.on('GET', `/api/v1/tracks/${id}/stream-url`, () => json({ url: `/t/${id}`, expires_at: 0 }));
    const view = renderWith(setUp.services, <RadioButton seed="album:7" name="Northern Lights" />);
    click(byLabel(view, 'Northern Lights radio'));
    await eventually(() => expect(setUp.services.notices.current.value?.message).toBe('Playing Northern Lights Radio.'));
    expect(setUp.server.sent('GET', '/api/v1/radio')[0]?.query.get('seed')).toBe('album:7');
    expect(setUp.services.player.currentTrack?.title).toBe('Radio 2');
  });

  it('does nothing while disabled', () => {
    const setUp = testServices();
    const view = renderWith(setUp.services, <RadioButton seed="playlist:4" name="Empty" disabled />);
    const button = byLabel(view, 'Empty radio') as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    click(button);
    expect(setUp.server.sent('GET', '/api/v1/radio')).toHaveLength(0);
  });
});
