import { type ComponentChildren, render } from 'preact';
import { act } from 'preact/test-utils';
import { ServicesProvider, type Services } from '../services-context';
import { afterTest } from './cleanup';

/** Renders `ui` into the document with `services` provided, as `main.tsx` does for the app; unmounted by `cleanup`. */
export function renderWith(services: Services, ui: ComponentChildren): HTMLElement {
  const container = document.createElement('div');
  document.body.append(container);
  act(() => render(<ServicesProvider value={services}>{ui}</ServicesProvider>, container));
  afterTest(() => {
    act(() => render(null, container));
    container.remove();
  });
  return container;
}
