import { BackBar } from '../../shared/ui/BackBar';
import { useServices } from '../../app/services-context';
import { formatLength, plural } from '../../shared/format';
import { AsyncView } from '../../shared/ui/AsyncView';
import { Cover } from '../../shared/ui/Cover';
import { useAsync } from '../../shared/ui/useAsync';
import { LikeButton } from '../likes/LikeButton';
import { PlayButtons } from '../PlayButtons';
import { RadioButton } from '../RadioButton';
import { TrackList } from '../tracks/TrackList';
import { lockedForPlan } from '../../settings/plan';
import { PremiumMark } from '../../settings/PremiumMark';
import { useObservable } from '../../shared/useObservable';

export function AlbumView({ id }: { id: number }) {
  const { api, player, plan } = useServices();
  const [state, retry] = useAsync((signal) => api.album(id, signal), id);
  const rights = useObservable(plan.rights);
  return (
    <main class="page">
      <BackBar />
      <AsyncView state={state} retry={retry}>
        {(album) => {
          const locked = lockedForPlan(album.premium_only, rights);
          const context = { kind: 'album' as const, id: String(album.id) };
          const origin = { context, from: album.title };
          const details = [album.year, plural(album.track_count, 'track'), formatLength(album.duration_ms)].filter(Boolean).join(' · ');
          return (
            <>
              <header class="detail-header">
                <Cover coverId={album.cover_id} size={640} alt={`Cover of ${album.title}`} className="detail-cover" />
                <div class="detail-text">
                  <h1>{album.title}</h1>
                  <a class="detail-link" href={`/artist/${album.artist.id}`}>
                    {album.artist.name}
                  </a>
                  <p class="detail-meta">
                    <PremiumMark premiumOnly={album.premium_only} />
                    {album.is_compilation ? 'Compilation · ' : 'Album · '}
                    {details}
                  </p>
                  {locked && (
                    <p class="premium-note" role="note">
                      This release is for Premium listeners. Ask the administrator of your Tonearm server to upgrade your account.
                    </p>
                  )}
                  <PlayButtons
                    label={album.title}
                    context={context}
                    first={album.tracks[0]}
                    disabled={album.tracks.length === 0 || locked}
                    onPlay={() => player.playTracks(album.tracks, 0, origin)}
                    onShuffle={() => player.playTracks(album.tracks, -1, { shuffle: true, ...origin })}
                  >
                    <LikeButton kind="albums" id={album.id} name={album.title} size={28} />
                    <RadioButton seed={`album:${album.id}`} name={album.title} disabled={album.tracks.length === 0 || locked} />
                  </PlayButtons>
                </div>
              </header>
              <TrackList tracks={album.tracks} numbered showAlbum={album.is_compilation} origin={origin} label={`Tracks of ${album.title}`} />
            </>
          );
        }}
      </AsyncView>
    </main>
  );
}
