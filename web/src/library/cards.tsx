import type { AlbumSummary, ArtistSummary } from '../shared/api/tonearm';
import { Cover } from '../shared/ui/Cover';

export function AlbumCard({ album }: { album: AlbumSummary }) {
  return (
    <a class="card" href={`/album/${album.id}`}>
      <Cover coverId={album.cover_id} size={300} />
      <span class="card-title">{album.title}</span>
      <span class="card-subtitle">{album.artist.name}</span>
    </a>
  );
}

export function ArtistCard({ artist }: { artist: ArtistSummary }) {
  return (
    <a class="card artist-card" href={`/artist/${artist.id}`}>
      <Cover coverId={artist.cover_id} size={300} className="round" />
      <span class="card-title">{artist.name}</span>
      <span class="card-subtitle">Artist</span>
    </a>
  );
}
