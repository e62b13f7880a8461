// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { Home } from '../shared/api/tonearm';
import { byLabel, byText, click, eventually } from '../shared/testing/dom';
import { json } from '../shared/testing/fake-server';
import { playlist, summaryOf } from '../shared/testing/fixtures';
import { App } from './App';
import { cleanup } from './testing/cleanup';
import { renderWith } from './testing/render';
import { testServices } from './testing/test-services';

afterEach(cleanup);

const emptyHome: Home = { sections: [] };

describe('the app', () => {
  it('asks to sign in when this device is signed out', () => {
    const { services } = testServices();
    const view = renderWith(services, <App />);
    expect(byText(view, 'Sign in', 'button')).toBeTruthy();
    expect(view.querySelector('.tab-bar')).toBeNull();
  });

  it('signed in, shows the page of the address in the shell, and its links lead to other pages', async () => {
    const { services, server } = testServices({ signedIn: true });
    server.on('GET', '/api/v1/home', () => json(emptyHome)).on('GET', '/api/v1/me/playlists', () => json({ items: [summaryOf(playlist(7, 'Road trip', []))] }));
    services.router.navigate('/');
    const view = renderWith(services, <App />);
    await eventually(() => expect(view.querySelector('.empty')?.textContent).toContain('Your library is empty.'));
    expect(byLabel(view, 'Main').querySelector('[aria-current="page"]')?.textContent).toBe('Home');

    click(byText(view, 'Library', '.tab-bar a'));
    await eventually(() => expect(byText(view, 'Road trip', '.library-row .track-title')).toBeTruthy());
    expect(view.querySelector('h1')?.textContent).toBe('Your Library');
    expect(byLabel(view, 'Main').querySelector('[aria-current="page"]')?.textContent).toBe('Library');
  });

  it('says so when the server cannot be reached', () => {
    const { services, server } = testServices({ signedIn: true });
    server.on('GET', '/api/v1/home', () => json(emptyHome));
    services.router.navigate('/');
    const view = renderWith(services, <App />);
    expect(view.querySelector('.offline-banner')).toBeNull();
    services.connection.reached(false);
    return eventually(() => expect(view.querySelector('.offline-banner')?.textContent).toContain("You're offline."));
  });

  it('reloads the screen on display when the server answers again: no error left behind', async () => {
    const { services, server } = testServices({ signedIn: true });
    let reachable = false;
    server.on('GET', '/api/v1/me/playlists', () => {
      if (!reachable) throw new TypeError('Failed to fetch');
      return json({ items: [summaryOf(playlist(7, 'Road trip', []))] });
    });
    services.router.navigate('/library');
    const view = renderWith(services, <App />);
    await eventually(() => expect(view.querySelector('[role="alert"]')?.textContent).toContain("Can't reach"));
    reachable = true;
    services.connection.reached(false);
    services.connection.reached(true);
    await eventually(() => expect(byText(view, 'Road trip', '.library-row .track-title')).toBeTruthy());
    expect(view.querySelector('[role="alert"]')).toBeNull();
  });
});
