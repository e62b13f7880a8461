import { services } from '../app/services';
import { AsyncView } from '../shared/ui/AsyncView';
import { useAsync } from '../shared/ui/useAsync';
import { AlbumCard, ArtistCard } from './cards';
import { Shelf, ShelfSkeleton } from './Shelf';

const SHELF_SIZE = 20;

/**
 * Shelves from what the catalog offers today. `/api/v1/home` (recently played, trending, …,
 * issue 5) does not exist yet; its sections will render with these same shelves.
 */
export function HomeView() {
  const [newest, retryNewest] = useAsync((signal) => services.api.albums({ sort: 'date_added', limit: SHELF_SIZE }, signal), 'newest');
  const [artists, retryArtists] = useAsync((signal) => services.api.artists({ sort: 'name', limit: SHELF_SIZE }, signal), 'artists');
  const [genres, retryGenres] = useAsync((signal) => services.api.genres({ limit: 30 }, signal), 'genres');
  return (
    <main class="page">
      <h1 class="page-title">{greeting()}</h1>
      <AsyncView state={newest} retry={retryNewest} skeleton={<ShelfSkeleton title="New releases" />}>
        {(page) =>
          page.items.length === 0 ? (
            <p class="empty">Your library is empty. Add music folders with <code>tonearm serve --library</code>.</p>
          ) : (
            <Shelf title="New releases">
              {page.items.map((album) => (
                <AlbumCard key={album.id} album={album} />
              ))}
            </Shelf>
          )
        }
      </AsyncView>
      <AsyncView state={artists} retry={retryArtists} skeleton={<ShelfSkeleton title="Artists" />}>
        {(page) => (
          <Shelf title="Artists">
            {page.items.map((artist) => (
              <ArtistCard key={artist.id} artist={artist} />
            ))}
          </Shelf>
        )}
      </AsyncView>
      <AsyncView state={genres} retry={retryGenres}>
        {(page) =>
          page.items.length > 0 && (
            <section class="shelf" aria-label="Genres">
              <h2>Genres</h2>
              <div class="chips">
                {page.items.map((genre) => (
                  <a key={genre.id} class="chip" href={`/genre/${genre.id}`}>
                    {genre.name}
                  </a>
                ))}
              </div>
            </section>
          )
        }
      </AsyncView>
    </main>
  );
}

function greeting(): string {
  const hour = new Date().getHours();
  if (hour < 5) return 'Good night';
  if (hour < 12) return 'Good morning';
  if (hour < 18) return 'Good afternoon';
  return 'Good evening';
}
