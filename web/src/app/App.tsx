import { useEffect, useRef } from 'preact/hooks';
import { CallbackView } from '../auth/CallbackView';
import { SignInView } from '../auth/SignInView';
import { AlbumView } from '../library/album/AlbumView';
import { ArtistView } from '../library/artist/ArtistView';
import { GenreView } from '../library/genre/GenreView';
import { HomeView } from '../library/home/HomeView';
import { LibraryView } from '../library/LibraryView';
import { LikedSongsView } from '../library/likes/LikedSongsView';
import { MixView } from '../library/mix/MixView';
import { PlaylistView } from '../library/playlist/PlaylistView';
import { installKeyboardShortcuts } from '../player/keyboard';
import { MiniPlayer } from '../player/MiniPlayer';
import { NowPlaying } from '../player/NowPlaying';
import { nowPlayingOpen } from '../player/nowPlayingState';
import { SearchView } from '../search/SearchView';
import { useObservable } from '../shared/useObservable';
import { OfflineBanner } from './OfflineBanner';
import type { Route } from './router';
import { useServices } from './services-context';
import { SettingsView } from '../settings/SettingsView';
import { TabBar } from './TabBar';
import { Toast } from './Toast';

export function App() {
  const { auth, router } = useServices();
  const status = useObservable(auth.status);
  const route = useObservable(router.route);
  if (route.page === 'callback') return <CallbackView />;
  if (status === 'signed-out') return <SignInView />;
  return <Shell route={route} />;
}

function Shell({ route }: { route: Route }) {
  const nowPlaying = useObservable(nowPlayingOpen);
  const { player } = useServices();
  useEffect(() => installKeyboardShortcuts(player), [player]);
  const content = useRef<HTMLDivElement>(null);
  const firstRoute = useRef(true);
  // After an in-app navigation, screen readers and keyboards start at the new page, not
  // at the link that was clicked (and is now gone).
  useEffect(() => {
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    content.current?.focus({ preventScroll: true });
  }, [route]);
  return (
    <div class={nowPlaying ? 'shell now-playing-open' : 'shell'}>
      <OfflineBanner />
      <div class="content" ref={content} tabIndex={-1} inert={nowPlaying}>
        <Page route={route} />
      </div>
      <div class="bottom" inert={nowPlaying}>
        <MiniPlayer />
        <TabBar route={route} />
      </div>
      {nowPlaying && <NowPlaying />}
      <Toast />
    </div>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'home':
      return <HomeView />;
    case 'search':
      return <SearchView />;
    case 'library':
      return <LibraryView />;
    case 'album':
      return <AlbumView id={route.id} />;
    case 'artist':
      return <ArtistView id={route.id} />;
    case 'genre':
      return <GenreView id={route.id} />;
    case 'playlist':
      return <PlaylistView id={route.id} />;
    case 'mix':
      return <MixView id={route.id} />;
    case 'liked':
      return <LikedSongsView />;
    case 'settings':
      return <SettingsView />;
    case 'callback':
    case 'not-found':
      return (
        <main class="page">
          <h1 class="page-title">Page not found</h1>
          <p>
            <a href="/">Go to Home</a>
          </p>
        </main>
      );
  }
}
