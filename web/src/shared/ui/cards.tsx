import type { AlbumSummary, ArtistSummary, PlaylistSummary, TrackSummary } from '../api/tonearm';
import { plural } from '../format';
import { PremiumMark } from '../../settings/PremiumMark';
import { Cover } from './Cover';
import { PlaylistCover } from './PlaylistCover';

export function AlbumCard({ album }: { album: AlbumSummary }) {
  return (
    <a class="card" href={`/album/${album.id}`}>
      <Cover coverId={album.cover_id} size={300} />
      <span class="card-title">{album.title}</span>
      <span class="card-subtitle">
        <PremiumMark premiumOnly={album.premium_only} />
        {album.artist.name}
      </span>
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

export function PlaylistCard({ playlist }: { playlist: PlaylistSummary }) {
  return (
    <a class="card" href={`/playlist/${playlist.id}`}>
      <PlaylistCover playlist={playlist} size={300} />
      <span class="card-title">{playlist.name}</span>
      <span class="card-subtitle">{plural(playlist.track_count, 'track')}</span>
    </a>
  );
}

/** A track on a shelf: tapping it plays the shelf from there. `note`: why it is there (a recommendation's reason). */
export function TrackCard({ track, onPlay, note }: { track: TrackSummary; onPlay: () => void; note?: string }) {
  const artists = track.artists.map((artist) => artist.name).join(', ');
  return (
    <button type="button" class="card track-card" onClick={onPlay} aria-label={`Play ${track.title} by ${artists}`}>
      <Cover coverId={track.cover_id} size={300} />
      <span class="card-title">{track.title}</span>
      <span class="card-subtitle">{artists}</span>
      {note && <span class="card-note">{note}</span>}
    </button>
  );
}
