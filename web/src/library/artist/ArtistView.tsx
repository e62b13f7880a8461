import { BackBar } from '../../shared/ui/BackBar';
import { useState } from 'preact/hooks';
import { useServices } from '../../app/services-context';
import type { AlbumSummary, TonearmApi, TrackSummary } from '../../shared/api/tonearm';
import { ApiError } from '../../shared/api/errors';
import { plural } from '../../shared/format';
import { AsyncView } from '../../shared/ui/AsyncView';
import { Cover } from '../../shared/ui/Cover';
import { useAsync } from '../../shared/ui/useAsync';
import { AlbumCard, ArtistCard } from '../../shared/ui/cards';
import { RadioButton } from '../RadioButton';
import { LikeButton } from '../likes/LikeButton';
import { PlayButtons } from '../PlayButtons';
import { Shelf } from '../../shared/ui/Shelf';

/** Every track of these albums, album by album (an artist has no track list of its own yet). */
async function tracksOfAlbums(api: Pick<TonearmApi, 'album'>, albums: AlbumSummary[]): Promise<TrackSummary[]> {
  const details = await Promise.all(albums.map((album) => api.album(album.id)));
  return details.flatMap((detail) => detail.tracks);
}

export function ArtistView({ id }: { id: number }) {
  const { api, notices, player } = useServices();
  const [state, retry] = useAsync((signal) => api.artist(id, signal), id);
  const [starting, setStarting] = useState(false);
  const play = async (albums: AlbumSummary[], shuffle: boolean, name: string) => {
    setStarting(true);
    try {
      const tracks = await tracksOfAlbums(api, albums);
      player.playTracks(tracks, shuffle ? -1 : 0, { shuffle, context: { kind: 'artist', id: String(id) }, from: name });
    } catch (error) {
      notices.show(error instanceof ApiError ? error.message : 'The tracks could not be loaded.');
    } finally {
      setStarting(false);
    }
  };
  return (
    <main class="page">
      <BackBar />
      <AsyncView state={state} retry={retry}>
        {(detail) => (
          <>
            <header class="detail-header">
              <Cover coverId={detail.cover_id} size={640} alt={detail.name} className="detail-cover round" />
              <div class="detail-text">
                <h1>{detail.name}</h1>
                <p class="detail-meta">
                  {plural(detail.album_count, 'album')} · {plural(detail.track_count, 'track')}
                </p>
                <PlayButtons
                  context={{ kind: 'artist', id: String(id) }}
                  label={detail.name}
                  disabled={starting || detail.albums.length === 0}
                  onPlay={() => void play(detail.albums, false, detail.name)}
                  onShuffle={() => void play(detail.albums, true, detail.name)}
                >
                  <LikeButton kind="artists" id={detail.id} name={detail.name} size={28} />
                  <RadioButton seed={`artist:${detail.id}`} name={detail.name} disabled={detail.track_count === 0} />
                </PlayButtons>
              </div>
            </header>
            {detail.albums.length > 0 && (
              <Shelf title="Albums">
                {detail.albums.map((album) => (
                  <AlbumCard key={album.id} album={album} />
                ))}
              </Shelf>
            )}
            {detail.appears_on.length > 0 && (
              <Shelf title="Appears on">
                {detail.appears_on.map((album) => (
                  <AlbumCard key={album.id} album={album} />
                ))}
              </Shelf>
            )}
            <FansAlsoLike id={id} />
          </>
        )}
      </AsyncView>
    </main>
  );
}

/** "Fans also like": artists whose listeners overlap with this one's. Left out when there are none or they fail to load. */
function FansAlsoLike({ id }: { id: number }) {
  const { api } = useServices();
  const [related] = useAsync((signal) => api.relatedArtists(id, signal), id);
  if (related.status !== 'ready' || related.value.items.length === 0) return null;
  return (
    <Shelf title="Fans also like">
      {related.value.items.map((artist) => (
        <ArtistCard key={artist.id} artist={artist} />
      ))}
    </Shelf>
  );
}
