import { useState } from 'preact/hooks';
import { useServices } from '../app/services-context';
import type { LibrarySort, PlaylistSummary } from '../shared/api/tonearm';
import { plural } from '../shared/format';
import { AsyncView } from '../shared/ui/AsyncView';
import { Cover } from '../shared/ui/Cover';
import { Icon } from '../shared/ui/icons';
import { NameDialog } from '../shared/ui/NameDialog';
import { useAsync } from '../shared/ui/useAsync';
import { useObservable } from '../shared/useObservable';
import { PlaylistArt } from '../shared/ui/PlaylistArt';
import { PlaylistCover } from '../shared/ui/PlaylistCover';
import { newPlaylistName } from './playlist/playlists';
import { SORT_LABELS, SortSelect } from './SortSelect';

type Kind = 'playlists' | 'albums' | 'artists';
const KIND_LABELS: Record<Kind, string> = { playlists: 'Playlists', albums: 'Albums', artists: 'Artists' };
const PLAYLIST_SORT_LABELS: Record<LibrarySort, string> = { ...SORT_LABELS, artist: 'Creator' };

/** Your Library: your playlists (Liked Songs first), and the albums and artists you liked. */
export function LibraryView() {
  const [kind, setKind] = useState<Kind>('playlists');
  const [sort, setSort] = useState<LibrarySort>('date_added');
  const [creating, setCreating] = useState<PlaylistSummary[] | null>(null);
  const { api, playlists, router } = useServices();
  const startCreating = async () => setCreating(await api.myPlaylists().catch(() => []));
  return (
    <main class="page">
      <header class="page-header">
        <h1 class="page-title">Your Library</h1>
        <button type="button" class="icon-button" aria-label="Create playlist" onClick={() => void startCreating()}>
          <Icon name="plus" />
        </button>
        <a class="icon-button" href="/settings" aria-label="Settings">
          <Icon name="settings" />
        </a>
      </header>
      <div class="segmented" role="tablist" aria-label="Show">
        {(Object.keys(KIND_LABELS) as Kind[]).map((option) => (
          <button key={option} type="button" role="tab" aria-selected={kind === option} onClick={() => setKind(option)}>
            {KIND_LABELS[option]}
          </button>
        ))}
      </div>
      <SortSelect value={sort} onChange={setSort} labels={kind === 'playlists' ? PLAYLIST_SORT_LABELS : SORT_LABELS} />
      <div role="tabpanel" aria-label={KIND_LABELS[kind]}>
        {kind === 'playlists' && <Playlists sort={sort} />}
        {kind === 'albums' && <LikedAlbums sort={sort} />}
        {kind === 'artists' && <LikedArtists sort={sort} />}
      </div>
      {creating && (
        <NameDialog
          title="Give your playlist a name"
          initial={newPlaylistName(creating)}
          action="Create"
          onClose={() => setCreating(null)}
          onSubmit={async (name) => {
            setCreating(null);
            const created = await playlists.create(name);
            if (created) router.navigate(`/playlist/${created.id}`);
          }}
        />
      )}
    </main>
  );
}

function sortPlaylists(playlists: PlaylistSummary[], sort: LibrarySort): PlaylistSummary[] {
  const byName = (a: PlaylistSummary, b: PlaylistSummary) => a.name.localeCompare(b.name);
  switch (sort) {
    case 'date_added':
      return [...playlists].sort((a, b) => b.created_at - a.created_at);
    case 'name':
      return [...playlists].sort(byName);
    case 'artist':
      return [...playlists].sort((a, b) => a.owner.username.localeCompare(b.owner.username) || byName(a, b));
  }
}

function Playlists({ sort }: { sort: LibrarySort }) {
  const { api, likes, playlists } = useServices();
  const revision = useObservable(playlists.revision);
  const likedCount = useObservable(likes.liked).tracks.size;
  const [state, retry] = useAsync((signal) => api.myPlaylists(signal), revision);
  return (
    <>
      <ul class="library-list">
        <li>
          <a class="library-row" href="/liked">
            <PlaylistArt name="Liked Songs" liked />
            <span class="track-text">
              <span class="track-title">Liked Songs</span>
              <span class="track-subtitle">Playlist · {plural(likedCount, 'song')}</span>
            </span>
          </a>
        </li>
      </ul>
      <AsyncView state={state} retry={retry}>
        {(playlists) => (
          <ul class="library-list">
            {sortPlaylists(playlists, sort).map((playlist) => (
              <li key={playlist.id}>
                <a class="library-row" href={`/playlist/${playlist.id}`}>
                  <PlaylistCover playlist={playlist} size={64} />
                  <span class="track-text">
                    <span class="track-title">{playlist.name}</span>
                    <span class="track-subtitle">
                      Playlist · {playlist.owner.username} · {plural(playlist.track_count, 'song')}
                    </span>
                  </span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </AsyncView>
    </>
  );
}

function LikedAlbums({ sort }: { sort: LibrarySort }) {
  const { api, likes } = useServices();
  const revision = useObservable(likes.revision);
  const [state, retry] = useAsync((signal) => api.likedAlbums({ sort, limit: 500 }, signal), `${sort}-${revision}`);
  return (
    <AsyncView state={state} retry={retry}>
      {({ items }) =>
        items.length === 0 ? (
          <p class="empty">Albums you like show up here. Tap the heart on an album to add it.</p>
        ) : (
          <ul class="library-list">
            {items.map(({ album }) => (
              <li key={album.id}>
                <a class="library-row" href={`/album/${album.id}`}>
                  <Cover coverId={album.cover_id} size={128} />
                  <span class="track-text">
                    <span class="track-title">{album.title}</span>
                    <span class="track-subtitle">Album · {album.artist.name}</span>
                  </span>
                </a>
              </li>
            ))}
          </ul>
        )
      }
    </AsyncView>
  );
}

function LikedArtists({ sort }: { sort: LibrarySort }) {
  const { api, likes } = useServices();
  const revision = useObservable(likes.revision);
  const [state, retry] = useAsync((signal) => api.likedArtists({ sort, limit: 500 }, signal), `${sort}-${revision}`);
  return (
    <AsyncView state={state} retry={retry}>
      {({ items }) =>
        items.length === 0 ? (
          <p class="empty">Artists you like show up here. Tap the heart on an artist's page to add them.</p>
        ) : (
          <ul class="library-list">
            {items.map(({ artist }) => (
              <li key={artist.id}>
                <a class="library-row" href={`/artist/${artist.id}`}>
                  <Cover coverId={artist.cover_id} size={128} className="round" />
                  <span class="track-text">
                    <span class="track-title">{artist.name}</span>
                    <span class="track-subtitle">Artist</span>
                  </span>
                </a>
              </li>
            ))}
          </ul>
        )
      }
    </AsyncView>
  );
}
