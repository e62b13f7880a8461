import { useEffect, useRef, useState } from 'preact/hooks';
import { Icon } from '../../shared/ui/icons';

export interface Drag {
  /** The entry being dragged, and the place it would drop at now. */
  active: { from: number; to: number; offset: number } | null;
  start: (index: number, event: PointerEvent) => void;
  move: (event: PointerEvent) => void;
  end: () => void;
  step: (index: number, by: number) => void;
}

/**
 * Drag to reorder with pointer events (touch, pen and mouse alike): the row follows the
 * finger, the drop place is the row it is over, and the move is made on release. Arrow
 * keys do the same one step at a time.
 */
export function useDragToReorder(count: number, onMove: (from: number, to: number) => void): Drag {
  const [active, setActive] = useState<Drag['active']>(null);
  const origin = useRef({ y: 0, rowHeight: 56 });
  const latest = useRef(active);
  latest.current = active;
  useEffect(() => setActive(null), [count]);
  return {
    active,
    start(index, event) {
      const row = (event.currentTarget as HTMLElement).closest('li');
      origin.current = { y: event.clientY, rowHeight: row?.getBoundingClientRect().height || 56 };
      (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
      setActive({ from: index, to: index, offset: 0 });
    },
    move(event) {
      const drag = latest.current;
      if (!drag) return;
      const offset = event.clientY - origin.current.y;
      const to = Math.min(count - 1, Math.max(0, drag.from + Math.round(offset / origin.current.rowHeight)));
      setActive({ ...drag, to, offset });
    },
    end() {
      const drag = latest.current;
      setActive(null);
      if (drag && drag.to !== drag.from) onMove(drag.from, drag.to);
    },
    step(index, by) {
      const to = index + by;
      if (to >= 0 && to < count) onMove(index, to);
    },
  };
}

/** The dragged row follows the finger; the row it would land on shows a line where it goes. */
export function dragLook(active: Drag['active'], index: number): { rowClass?: string; rowStyle?: Record<string, string> } {
  if (!active) return {};
  if (active.from === index) return { rowClass: 'is-dragging', rowStyle: { transform: `translateY(${active.offset}px)` } };
  if (active.to === index) return { rowClass: active.to > active.from ? 'drop-below' : 'drop-above' };
  return {};
}

export function DragHandle({ index, count, title, drag }: { index: number; count: number; title: string; drag: Drag }) {
  return (
    <button
      type="button"
      class="icon-button drag-handle"
      aria-label={`Move ${title}, song ${index + 1} of ${count}`}
      aria-describedby="reorder-hint"
      onPointerDown={(event) => drag.start(index, event)}
      onPointerMove={(event) => drag.move(event)}
      onPointerUp={() => drag.end()}
      onPointerCancel={() => drag.end()}
      onKeyDown={(event) => {
        if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
        event.preventDefault();
        drag.step(index, event.key === 'ArrowUp' ? -1 : 1);
      }}
    >
      <Icon name="drag" />
    </button>
  );
}
