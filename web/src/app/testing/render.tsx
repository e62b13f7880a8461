import { type ComponentChildren, render } from 'preact';
import { act } from 'preact/test-utils';
import { ServicesProvider, type Services } from '../services-context';

const mounted: HTMLElement[] = [];

/** Renders `ui` into the document with `services` provided, as `main.tsx` does for the app. */
export function renderWith(services: Services, ui: ComponentChildren): HTMLElement {
  const container = document.createElement('div');
  document.body.append(container);
  mounted.push(container);
  act(() => render(<ServicesProvider value={services}>{ui}</ServicesProvider>, container));
  return container;
}

/** Unmounts what `renderWith` rendered: for `afterEach`, so no test sees another's components. */
export function cleanup(): void {
  for (const container of mounted.splice(0)) {
    act(() => render(null, container));
    container.remove();
  }
}
