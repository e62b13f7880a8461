import { useServices } from '../../app/services-context';
import type { HomeShelf, PlayContext } from '../../shared/api/tonearm';
import { AsyncView } from '../../shared/ui/AsyncView';
import { Icon } from '../../shared/ui/icons';
import { useAsync } from '../../shared/ui/useAsync';
import { useObservable } from '../../shared/useObservable';
import { AlbumCard, ArtistCard, PlaylistCard, TrackCard } from '../../shared/ui/cards';
import { Shelf, ShelfSkeleton } from '../../shared/ui/Shelf';
import { MixCard } from '../mix/MixCard';
import { TastePicker } from './TastePicker';

/**
 * Home: the shelves the server picked for this listener (`GET /api/v1/home`), in its order,
 * under the first-run artist picker while the listener has no taste to go on.
 */
export function HomeView() {
  const { api } = useServices();
  const [home, retry] = useAsync((signal) => api.home(signal), 'home');
  return (
    <main class="page">
      <header class="page-header">
        <h1 class="page-title">{greeting()}</h1>
        <a class="icon-button" href="/settings" aria-label="Settings">
          <Icon name="settings" />
        </a>
      </header>
      <TastePickerSlot onDone={retry} />
      <AsyncView
        state={home}
        retry={retry}
        skeleton={
          <>
            <ShelfSkeleton title="Recently played" />
            <ShelfSkeleton title="New releases" />
          </>
        }
      >
        {({ sections }) =>
          sections.length === 0 ? (
            <p class="empty">Your library is empty. Add music folders with <code>tonearm serve --library</code>.</p>
          ) : (
            sections.map((shelf) => <HomeShelfView key={shelf.id} shelf={shelf} />)
          )
        }
      </AsyncView>
    </main>
  );
}

/**
 * The picker, when the server offers it and this device did not say "Not now". A failure
 * to ask leaves it out: Home works without it. Done reloads Home, now with mixes from the picks.
 */
function TastePickerSlot({ onDone }: { onDone: () => void }) {
  const { api, tastePickerDismissed } = useServices();
  const dismissed = useObservable(tastePickerDismissed.on);
  const [picker, reload] = useAsync((signal) => (dismissed ? Promise.resolve(null) : api.tastePicker(signal)), dismissed);
  if (dismissed || picker.status !== 'ready' || !picker.value?.show || picker.value.artists.length === 0) return null;
  return (
    <TastePicker
      artists={picker.value.artists}
      onDone={() => {
        reload();
        onDone();
      }}
    />
  );
}

/** Where a track shelf's plays come from, for the listening history. */
function contextOf(shelf: HomeShelf): PlayContext {
  return shelf.id === 'recently_played' ? { kind: 'library', id: null } : { kind: 'recommendation', id: shelf.id };
}

function HomeShelfView({ shelf }: { shelf: HomeShelf }) {
  const { player } = useServices();
  switch (shelf.kind) {
    case 'tracks':
      return (
        <Shelf title={shelf.title}>
          {shelf.items.map((track, index) => (
            <TrackCard key={track.id} track={track} onPlay={() => player.playTracks(shelf.items, index, { context: contextOf(shelf), from: shelf.title })} />
          ))}
        </Shelf>
      );
    case 'albums':
      return (
        <Shelf title={shelf.title}>
          {shelf.items.map((album) => (
            <AlbumCard key={album.id} album={album} />
          ))}
        </Shelf>
      );
    case 'artists':
      return (
        <Shelf title={shelf.title}>
          {shelf.items.map((artist) => (
            <ArtistCard key={artist.id} artist={artist} />
          ))}
        </Shelf>
      );
    case 'mixes':
      return (
        <Shelf title={shelf.title}>
          {shelf.items.map((mix) => (
            <MixCard key={mix.id} mix={mix} />
          ))}
        </Shelf>
      );
    case 'recommended': {
      const tracks = shelf.items.map((item) => item.track);
      return (
        <Shelf title={shelf.title}>
          {shelf.items.map(({ track, reason }, index) => (
            <TrackCard key={track.id} track={track} note={reason.text} onPlay={() => player.playTracks(tracks, index, { context: contextOf(shelf), from: shelf.title })} />
          ))}
        </Shelf>
      );
    }
    case 'playlists':
      return (
        <Shelf title={shelf.title}>
          {shelf.items.map((playlist) => (
            <PlaylistCard key={playlist.id} playlist={playlist} />
          ))}
        </Shelf>
      );
  }
}

function greeting(): string {
  const hour = new Date().getHours();
  if (hour < 5) return 'Good night';
  if (hour < 12) return 'Good morning';
  if (hour < 18) return 'Good afternoon';
  return 'Good evening';
}
