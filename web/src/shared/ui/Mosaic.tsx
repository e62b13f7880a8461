import { Cover } from './Cover';
import { PlaylistArt } from './PlaylistArt';

type Size = Parameters<typeof Cover>[0]['size'];
/** Each tile of the 2×2 is half the mosaic: one size down is sharp enough. */
const TILE: Record<Size, Size> = { 64: 64, 128: 64, 300: 128, 640: 300, 1200: 640 };

/**
 * Four covers in a 2×2, as Spotify draws a mix or a playlist of several albums. With fewer
 * than four a grid would leave holes or repeat itself, so the first cover fills the square;
 * with none (or while they load) the tile `name` colours stands in.
 */
export function Mosaic({ coverIds, name, size, className = '' }: { coverIds: (string | null | undefined)[]; name: string; size: Size; className?: string }) {
  const covers = coverIds.filter((id): id is string => typeof id === 'string' && id.length > 0);
  if (covers.length === 0) return <PlaylistArt name={name} className={className} />;
  if (covers.length < 4) return <Cover coverId={covers[0]} size={size} className={className} />;
  return (
    <div class={`cover mosaic ${className}`} aria-hidden="true">
      {covers.slice(0, 4).map((id, index) => (
        <Cover key={`${id}-${index}`} coverId={id} size={TILE[size]} />
      ))}
    </div>
  );
}
