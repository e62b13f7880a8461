import { useEffect, useMemo, useState } from 'preact/hooks';
import { useServices } from '../app/services-context';
import { AlbumCard, ArtistCard, PlaylistCard } from '../shared/ui/cards';
import { Shelf } from '../shared/ui/Shelf';
import { TrackList } from '../library/tracks/TrackList';
import { ApiError } from '../shared/api/errors';
import type { SearchResults } from '../shared/api/tonearm';
import { AsyncView, ErrorPanel } from '../shared/ui/AsyncView';
import { Icon } from '../shared/ui/icons';
import { useAsync } from '../shared/ui/useAsync';
import { SearchAsYouType, type SearchState } from './as-you-type';
import { TopResultCard } from './TopResultCard';

const TYPING_PAUSE_MS = 250;

/** The search tab: results as you type, grouped by kind; recent searches and genres before typing. */
export function SearchView() {
  const [text, setText] = useState(() => new URLSearchParams(location.search).get('q') ?? '');
  const { api, recentSearches } = useServices();
  const [state, setState] = useState<SearchState<SearchResults>>({ status: 'idle' });
  /** The last answer shown: it stays on screen while newer text is searched (no blank flash per keystroke). */
  const [shown, setShown] = useState<{ text: string; results: SearchResults } | null>(null);
  useEffect(() => {
    if (state.status === 'ready') setShown({ text: state.text, results: state.results });
    if (state.status === 'idle') setShown(null);
  }, [state]);
  const searcher = useMemo(
    () =>
      new SearchAsYouType<SearchResults>({
        search: (query, signal) => api.search(query, signal),
        onChange: setState,
        delayMs: TYPING_PAUSE_MS,
        setTimer: (callback, ms) => setTimeout(callback, ms),
        clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      }),
    [],
  );
  useEffect(() => () => searcher.dispose(), [searcher]);
  useEffect(() => {
    searcher.input(text);
    // The address keeps the search, so "back" from a result returns to the same results.
    const trimmed = text.trim();
    history.replaceState(history.state, '', trimmed ? `/search?q=${encodeURIComponent(trimmed)}` : '/search');
  }, [text]);
  const remember = () => recentSearches.add(text);
  return (
    <main class="page">
      <h1 class="page-title">Search</h1>
      <form role="search" class="search-field" onSubmit={(event) => { event.preventDefault(); remember(); (document.activeElement as HTMLElement | null)?.blur(); }}>
        <Icon name="search" />
        <input
          type="search"
          value={text}
          placeholder="What do you want to listen to?"
          aria-label="Search artists, albums, songs and genres"
          autoComplete="off"
          autoCapitalize="off"
          spellcheck={false}
          enterKeyHint="search"
          onInput={(event) => setText((event.target as HTMLInputElement).value)}
        />
        {text && (
          <button type="button" class="icon-button" aria-label="Clear search" onClick={() => setText('')}>
            <Icon name="close" />
          </button>
        )}
      </form>
      {state.status === 'idle' && <BeforeTyping onPick={setText} />}
      {state.status === 'loading' &&
        (shown ? (
          <div class="search-stale" aria-busy="true">
            <Results text={shown.text} results={shown.results} onOpen={remember} />
          </div>
        ) : (
          <div class="loading" aria-busy="true" aria-label="Searching" />
        ))}
      {state.status === 'failed' && (
        <ErrorPanel message={state.error instanceof ApiError ? state.error.message : 'Search failed. Try again.'} onRetry={() => searcher.retry()} />
      )}
      {state.status === 'ready' && <Results text={state.text} results={state.results} onOpen={remember} />}
    </main>
  );
}

function isEmpty(results: SearchResults): boolean {
  return (
    !results.top &&
    !results.tracks?.items.length &&
    !results.albums?.items.length &&
    !results.artists?.items.length &&
    !results.playlists?.items.length &&
    !results.genres?.items.length
  );
}

/** Results in Spotify's order: the best match, songs, artists, albums, playlists, genres. */
function Results({ text, results, onOpen }: { text: string; results: SearchResults; onOpen: () => void }) {
  if (isEmpty(results)) {
    return (
      <div class="no-results" role="status">
        <h2>No results found for “{text}”</h2>
        <p class="hint">Check the spelling, or try fewer or different words.</p>
      </div>
    );
  }
  const origin = { context: { kind: 'search' as const, id: text }, from: text };
  const tracks = results.tracks?.items ?? [];
  return (
    // Opening or playing anything found makes this a search worth remembering.
    <div class="search-results" onClickCapture={onOpen}>
      {results.top && (
        <section class="shelf" aria-label="Top result">
          <h2>Top result</h2>
          <TopResultCard top={results.top} origin={origin} />
        </section>
      )}
      {tracks.length > 0 && (
        <section class="shelf" aria-label="Songs">
          <h2>Songs</h2>
          <TrackList tracks={tracks.slice(0, 5)} numbered={false} showAlbum origin={origin} />
        </section>
      )}
      {results.artists && results.artists.items.length > 0 && (
        <Shelf title="Artists">
          {results.artists.items.map((artist) => (
            <ArtistCard key={artist.id} artist={artist} />
          ))}
        </Shelf>
      )}
      {results.albums && results.albums.items.length > 0 && (
        <Shelf title="Albums">
          {results.albums.items.map((album) => (
            <AlbumCard key={album.id} album={album} />
          ))}
        </Shelf>
      )}
      {results.playlists && results.playlists.items.length > 0 && (
        <Shelf title="Playlists">
          {results.playlists.items.map((playlist) => (
            <PlaylistCard key={playlist.id} playlist={playlist} />
          ))}
        </Shelf>
      )}
      {results.genres && results.genres.items.length > 0 && (
        <section class="shelf" aria-label="Genres">
          <h2>Genres</h2>
          <div class="chips">
            {results.genres.items.map((genre) => (
              <a key={genre.id} class="chip" href={`/genre/${genre.id}`}>
                {genre.name}
              </a>
            ))}
          </div>
        </section>
      )}
    </div>
  );
}

/** Before typing: the searches made recently on this device, then genres to browse. */
function BeforeTyping({ onPick }: { onPick: (text: string) => void }) {
  const { api, recentSearches } = useServices();
  const [recent, setRecent] = useState(() => recentSearches.list());
  const [genres, retry] = useAsync((signal) => api.genres({ limit: 100 }, signal), 'genres');
  return (
    <>
      {recent.length > 0 && (
        <section class="shelf" aria-label="Recent searches">
          <h2>Recent searches</h2>
          <ul class="recent-searches">
            {recent.map((item) => (
              <li key={item}>
                <button type="button" class="recent-search" onClick={() => onPick(item)}>
                  <Icon name="search" size={20} />
                  <span>{item}</span>
                </button>
                <button type="button" class="icon-button" aria-label={`Remove ${item} from recent searches`} onClick={() => setRecent(recentSearches.remove(item))}>
                  <Icon name="close" size={20} />
                </button>
              </li>
            ))}
          </ul>
          <button
            type="button"
            class="button secondary"
            onClick={() => {
              recentSearches.clear();
              setRecent([]);
            }}
          >
            Clear recent searches
          </button>
        </section>
      )}
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
    </>
  );
}
