import { services } from '../app/services';
import { AsyncView } from '../shared/ui/AsyncView';
import { useAsync } from '../shared/ui/useAsync';

/**
 * Search needs the server's search API (`GET /api/v1/search`, issue 5), which does not
 * exist yet: the field says so instead of pretending, and genres offer a way to browse.
 */
export function SearchView() {
  const [genres, retry] = useAsync((signal) => services.api.genres({ limit: 100 }, signal), 'genres');
  return (
    <main class="page">
      <h1 class="page-title">Search</h1>
      <label class="search-field">
        <span class="visually-hidden">Search</span>
        <input type="search" placeholder="Artists, albums, tracks" disabled aria-describedby="search-unavailable" />
      </label>
      <p id="search-unavailable" class="hint">
        Search arrives with your server's next update. Meanwhile, browse by genre or open your Library.
      </p>
      <h2>Browse all</h2>
      <AsyncView state={genres} retry={retry}>
        {(page) => (
          <div class="genre-grid">
            {page.items.map((genre, index) => (
              <a key={genre.id} href={`/genre/${genre.id}`} class={`genre-tile hue-${index % 6}`}>
                {genre.name}
              </a>
            ))}
          </div>
        )}
      </AsyncView>
    </main>
  );
}
