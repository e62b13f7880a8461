import { useServices } from '../app/services-context';
import type { PlayOrigin } from '../player/player';
import type { SearchResults } from '../shared/api/tonearm';
import { PlaylistCover } from '../shared/ui/PlaylistCover';
import { Cover } from '../shared/ui/Cover';
import { Icon } from '../shared/ui/icons';

type Top = NonNullable<SearchResults['top']>;

/** The best match, large: a link to its page, or (a song) a tap that plays it. */
export function TopResultCard({ top, origin }: { top: Top; origin: PlayOrigin }) {
  const { player } = useServices();
  switch (top.kind) {
    case 'album':
      return (
        <a class="top-result" href={`/album/${top.item.id}`}>
          <Cover coverId={top.item.cover_id} size={300} />
          <span class="top-title">{top.item.title}</span>
          <span class="top-kind">Album · {top.item.artist.name}</span>
        </a>
      );
    case 'artist':
      return (
        <a class="top-result" href={`/artist/${top.item.id}`}>
          <Cover coverId={top.item.cover_id} size={300} className="round" />
          <span class="top-title">{top.item.name}</span>
          <span class="top-kind">Artist</span>
        </a>
      );
    case 'genre':
      return (
        <a class="top-result" href={`/genre/${top.item.id}`}>
          <span class="cover playlist-art hue-2" aria-hidden="true">
            <Icon name="music" size={40} />
          </span>
          <span class="top-title">{top.item.name}</span>
          <span class="top-kind">Genre</span>
        </a>
      );
    case 'playlist':
      return (
        <a class="top-result" href={`/playlist/${top.item.id}`}>
          <PlaylistCover playlist={top.item} size={300} />
          <span class="top-title">{top.item.name}</span>
          <span class="top-kind">Playlist</span>
        </a>
      );
    case 'track': {
      const track = top.item;
      const artists = track.artists.map((artist) => artist.name).join(', ');
      return (
        <button type="button" class="top-result" onClick={() => player.playTracks([track], 0, origin)} aria-label={`Play ${track.title} by ${artists}`}>
          <Cover coverId={track.cover_id} size={300} />
          <span class="top-title">{track.title}</span>
          <span class="top-kind">Song · {artists}</span>
        </button>
      );
    }
  }
}
