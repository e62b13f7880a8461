import { useState } from 'preact/hooks';
import { useServices } from '../../app/services-context';
import type { LibrarySort } from '../../shared/api/tonearm';
import { plural } from '../../shared/format';
import { AsyncView } from '../../shared/ui/AsyncView';
import { BackBar } from '../../shared/ui/BackBar';
import { useAsync } from '../../shared/ui/useAsync';
import { useObservable } from '../../shared/useObservable';
import { PlayButtons } from '../PlayButtons';
import { PlaylistArt } from '../../shared/ui/PlaylistArt';
import { SortSelect } from '../SortSelect';
import { TrackList } from '../tracks/TrackList';

/** Liked Songs, shown as a playlist: newest like first, or by title or artist. */
export function LikedSongsView() {
  const [sort, setSort] = useState<LibrarySort>('date_added');
  const { api, likes, player } = useServices();
  const revision = useObservable(likes.revision);
  const [state, retry] = useAsync((signal) => api.likedTracks({ sort, limit: 500 }, signal), `${sort}-${revision}`);
  const context = { kind: 'library' as const, id: null };
  const origin = { context, from: 'Liked Songs' };
  return (
    <main class="page">
      <BackBar />
      <AsyncView state={state} retry={retry}>
        {({ items, total }) => {
          const tracks = items.map((item) => item.track);
          return (
            <>
              <header class="detail-header">
                <PlaylistArt name="Liked Songs" liked className="detail-cover" />
                <div class="detail-text">
                  <h1>Liked Songs</h1>
                  <p class="detail-meta">{plural(total, 'song')}</p>
                  <PlayButtons
                    context={context}
                    label="Liked Songs"
                    disabled={tracks.length === 0}
                    onPlay={() => player.playTracks(tracks, 0, origin)}
                    onShuffle={() => player.playTracks(tracks, -1, { shuffle: true, ...origin })}
                  />
                </div>
              </header>
              {tracks.length === 0 ? (
                <p class="empty">Songs you like show up here. Tap the heart on Now Playing, or “Add to Liked Songs” in a song's menu.</p>
              ) : (
                <>
                  <SortSelect value={sort} onChange={setSort} />
                  <TrackList tracks={tracks} numbered={false} showAlbum origin={origin} label="Liked Songs" />
                </>
              )}
            </>
          );
        }}
      </AsyncView>
    </main>
  );
}
