import { useServices } from '../../app/services-context';
import { formatLength, plural } from '../../shared/format';
import { AsyncView } from '../../shared/ui/AsyncView';
import { BackBar } from '../../shared/ui/BackBar';
import { useAsync } from '../../shared/ui/useAsync';
import { PlayButtons } from '../PlayButtons';
import { TrackList } from '../tracks/TrackList';
import { MixCover } from './MixCover';

/** A "Made for you" mix (`/mix/<id>`): its mosaic, title and description, Play and Shuffle, and each track with why it is there. */
export function MixView({ id }: { id: string }) {
  const { api, player } = useServices();
  const [state, retry] = useAsync((signal) => api.mix(id, signal), id);
  return (
    <main class="page">
      <BackBar />
      <AsyncView state={state} retry={retry}>
        {(mix) => {
          const tracks = mix.tracks.map((item) => item.track);
          // "Playing from" names the mix; the history counts its plays as recommendations.
          const origin = { context: { kind: 'recommendation' as const, id: `mix:${mix.id}` }, from: mix.title };
          const length = formatLength(tracks.reduce((sum, track) => sum + track.duration_ms, 0));
          return (
            <>
              <header class="detail-header">
                <MixCover mix={mix} size={640} className="detail-cover" />
                <div class="detail-text">
                  <h1>{mix.title}</h1>
                  {mix.description && <p class="detail-description">{mix.description}</p>}
                  <p class="detail-meta">
                    Made for you · {plural(tracks.length, 'track')}
                    {tracks.length > 0 && ` · ${length}`}
                  </p>
                  <PlayButtons
                    label={mix.title}
                    context={origin.context}
                    first={tracks[0]}
                    disabled={tracks.length === 0}
                    onPlay={() => player.playTracks(tracks, 0, origin)}
                    onShuffle={() => player.playTracks(tracks, -1, { shuffle: true, ...origin })}
                  />
                </div>
              </header>
              {tracks.length === 0 ? (
                <p class="empty">Nothing in this mix yet. Listen to a few songs and it fills up.</p>
              ) : (
                <TrackList tracks={tracks} numbered={false} showAlbum origin={origin} notes={mix.tracks.map((item) => item.reason.text)} label={`Tracks of ${mix.title}`} />
              )}
            </>
          );
        }}
      </AsyncView>
    </main>
  );
}
