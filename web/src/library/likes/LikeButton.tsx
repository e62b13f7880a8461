import { useServices } from '../../app/services-context';
import type { LikeKind } from '../../shared/api/tonearm';
import { Icon } from '../../shared/ui/icons';
import { useObservable } from '../../shared/useObservable';

/** A heart: filled and green when liked. One label, and `aria-pressed` says whether it is on. */
export function LikeButton({ kind, id, name, size = 24 }: { kind: LikeKind; id: number; name: string; size?: number }) {
  const { likes } = useServices();
  const liked = useObservable(likes.liked)[kind].has(id);
  return (
    <button
      type="button"
      class={`icon-button like-button ${liked ? 'is-liked' : ''}`}
      aria-pressed={liked}
      aria-label={`Like ${name}`}
      onClick={() => void likes.toggle(kind, id, name)}
    >
      <Icon name={liked ? 'heartFilled' : 'heart'} size={size} />
    </button>
  );
}
