import type { ComponentChildren } from 'preact';

/** A titled, horizontally scrolling row of cards. */
export function Shelf({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section class="shelf" aria-label={title}>
      <h2>{title}</h2>
      <div class="shelf-row">{children}</div>
    </section>
  );
}

export function ShelfSkeleton({ title }: { title: string }) {
  return (
    <section class="shelf" aria-label={title} aria-busy="true">
      <h2>{title}</h2>
      <div class="shelf-row">
        {[0, 1, 2, 3].map((index) => (
          <div key={index} class="card skeleton" />
        ))}
      </div>
    </section>
  );
}
