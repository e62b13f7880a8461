import { act } from 'preact/test-utils';

/** The element with this accessible name (`aria-label`); fails the test when there is none. */
export function byLabel(root: ParentNode, label: string): HTMLElement {
  const found = [...root.querySelectorAll<HTMLElement>('[aria-label]')].find((element) => element.getAttribute('aria-label') === label);
  if (!found) throw new Error(`nothing labelled “${label}”`);
  return found;
}

/** The innermost element of `selector` whose text is `text`; fails the test when there is none. */
export function byText(root: ParentNode, text: string, selector = '*'): HTMLElement {
  const matching = [...root.querySelectorAll<HTMLElement>(selector)].filter((element) => element.textContent?.trim() === text);
  const found = matching.at(-1);
  if (!found) throw new Error(`no ${selector} with the text “${text}”`);
  return found;
}

export function click(element: HTMLElement): void {
  act(() => element.click());
}

/** Types into a text field the way a listener does: the value changes, then `input` fires. */
export function type(input: HTMLInputElement, text: string): void {
  act(() => {
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

export function press(element: HTMLElement, key: string): void {
  act(() => {
    element.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  });
}

/**
 * Lets requests answer and components re-render until `check` passes (it throws until
 * then), for at most a second.
 */
export async function eventually(check: () => void): Promise<void> {
  const deadline = Date.now() + 1000;
  for (;;) {
    await act(() => new Promise<void>((resolve) => setTimeout(resolve, 5)));
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}
