// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from '../app/testing/cleanup';
import { renderWith } from '../app/testing/render';
import { testServices } from '../app/testing/test-services';
import type { SearchResults } from '../shared/api/tonearm';
import { byLabel, eventually, type } from '../shared/testing/dom';
import { json } from '../shared/testing/fake-server';
import { track } from '../shared/testing/fixtures';
import { SearchView } from './SearchView';

afterEach(cleanup);

const found = (title: string): SearchResults => ({ tracks: { items: [track(1, title)], total: 1 } }) as unknown as SearchResults;

describe('the search tab', () => {
  it('keeps the previous results on screen until the answer for newer text arrives', async () => {
    const { services, server } = testServices();
    let answerSecond: (response: Response) => void = () => undefined;
    server.on('GET', '/api/v1/search', (request) =>
      request.query.get('q') === 'kit' ? json(found('Kitchen Waltz')) : new Promise<Response>((resolve) => (answerSecond = resolve)),
    );
    server.on('GET', '/api/v1/genres', () => json({ items: [], next_cursor: null }));
    const view = renderWith(services, <SearchView />);
    const box = byLabel(view, 'Search artists, albums, songs and genres') as HTMLInputElement;
    type(box, 'kit');
    await eventually(() => expect(view.querySelector('.track-title')?.textContent).toBe('Kitchen Waltz'));
    type(box, 'kitchen');
    await eventually(() => expect(server.sent('GET', '/api/v1/search')).toHaveLength(2));
    expect(view.querySelector('.search-stale .track-title')?.textContent).toBe('Kitchen Waltz');
    expect(view.querySelector('.loading')).toBeNull();
    answerSecond(json(found('Kitchen Songs')));
    await eventually(() => expect(view.querySelector('.track-title')?.textContent).toBe('Kitchen Songs'));
    expect(view.querySelector('.search-stale')).toBeNull();
  });
});
