import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * A modal panel rising from the bottom, as phones show choices: the first control takes
 * focus, Tab stays inside, Escape or a tap on the backdrop closes it, and focus returns to
 * what opened it.
 */
export function Sheet({ title, onClose, children }: { title: string; onClose: () => void; children: ComponentChildren }) {
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const first = panel.current?.querySelector<HTMLElement>('input, button, a[href], select');
    first?.focus();
    return () => opener?.focus?.();
  }, []);
  const trapFocus = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
      return;
    }
    if (event.key !== 'Tab' || !panel.current) return;
    const focusable = [...panel.current.querySelectorAll<HTMLElement>('input, button:not(:disabled), a[href], select')];
    const [first, last] = [focusable[0], focusable.at(-1)];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last?.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first?.focus();
    }
  };
  return (
    <div class="sheet-backdrop" onClick={(event) => event.target === event.currentTarget && onClose()}>
      <div ref={panel} class="sheet" role="dialog" aria-modal="true" aria-label={title} onKeyDown={trapFocus}>
        <h2 class="sheet-title">{title}</h2>
        {children}
      </div>
    </div>
  );
}
