import { Icon } from './icons';

const HUES = 6;

/** The tile of a playlist without a cover (and of Liked Songs): its colour follows from the name. */
export function PlaylistArt({ name, liked = false, className = '' }: { name: string; liked?: boolean; className?: string }) {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return (
    <div class={`cover playlist-art ${liked ? 'liked-art' : `hue-${hash % HUES}`} ${className}`} aria-hidden="true">
      <Icon name={liked ? 'heartFilled' : 'music'} size={40} />
    </div>
  );
}
