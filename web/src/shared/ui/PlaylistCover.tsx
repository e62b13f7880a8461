import { Cover } from './Cover';
import { PlaylistArt } from './PlaylistArt';

type Size = Parameters<typeof Cover>[0]['size'];

/** A playlist's cover (its first album's, or the server's mosaic of four) where it has one,
 *  else the tile its name colours. */
export function PlaylistCover({ playlist, size, className = '' }: { playlist: { name: string; cover_id?: string | null }; size: Size; className?: string }) {
  return playlist.cover_id
    ? <Cover coverId={playlist.cover_id} size={size} className={className} />
    : <PlaylistArt name={playlist.name} className={className} />;
}
