import { services } from '../../app/services';
import type { LikeKind } from '../../shared/api/tonearm';
import { Icon } from '../../shared/ui/icons';
import { useObservable } from '../../shared/useObservable';

/** A heart: filled and green when liked. One label, and `aria-pressed` says whether it is on. */
export function LikeButton({ kind, id, name, size = 24 }: { kind: LikeKind; id: number; name: string; size?: number }) {
  const liked = useObservable(services.likes.liked)[kind].has(id);
  return (
    <button
      type="button"
      class={`icon-button like-button ${liked ? 'is-liked' : ''}`}
      aria-pressed={liked}
      aria-label={`Like ${name}`}
      onClick={() => void services.likes.toggle(kind, id, name)}
    >
      <Icon name={liked ? 'heartFilled' : 'heart'} size={size} />
    </button>
  );
}
