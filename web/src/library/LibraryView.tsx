import { useEffect, useState } from 'preact/hooks';
import { services } from '../app/services';
import type { AlbumSummary, ArtistSummary } from '../shared/api/tonearm';
import { ApiError } from '../shared/api/errors';
import { AsyncView, ErrorPanel } from '../shared/ui/AsyncView';
import { useAsync } from '../shared/ui/useAsync';
import { AlbumCard, ArtistCard } from './cards';

const PAGE_SIZE = 30;

type Kind = 'albums' | 'artists';

/**
 * The whole catalog, A–Z. Playlists and likes (issue 5) will join these tabs when the
 * server has them.
 */
export function LibraryView() {
  const [kind, setKind] = useState<Kind>('albums');
  return (
    <main class="page">
      <h1 class="page-title">Your Library</h1>
      <div class="segmented" role="tablist" aria-label="Show">
        {(['albums', 'artists'] as const).map((option) => (
          <button key={option} type="button" role="tab" aria-selected={kind === option} onClick={() => setKind(option)}>
            {option === 'albums' ? 'Albums' : 'Artists'}
          </button>
        ))}
      </div>
      {kind === 'albums' ? <PagedGrid key="albums" kind="albums" /> : <PagedGrid key="artists" kind="artists" />}
      <AccountCard />
    </main>
  );
}

type Item = { kind: 'albums'; value: AlbumSummary } | { kind: 'artists'; value: ArtistSummary };

function PagedGrid({ kind }: { kind: Kind }) {
  const [items, setItems] = useState<Item[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [failure, setFailure] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const loadMore = async () => {
    setLoading(true);
    setFailure(null);
    try {
      const query = { sort: 'name' as const, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) };
      if (kind === 'albums') {
        const page = await services.api.albums(query);
        setItems((previous) => [...previous, ...page.items.map((value): Item => ({ kind: 'albums', value }))]);
        setCursor(page.next_cursor ?? null);
      } else {
        const page = await services.api.artists(query);
        setItems((previous) => [...previous, ...page.items.map((value): Item => ({ kind: 'artists', value }))]);
        setCursor(page.next_cursor ?? null);
      }
    } catch (error) {
      setFailure(error instanceof ApiError ? error.message : 'The library could not be loaded.');
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    void loadMore();
    // Once per kind: PagedGrid is keyed by kind, so switching tabs starts afresh.
  }, []);
  return (
    <>
      <div class="grid">
        {items.map((item) => (item.kind === 'albums' ? <AlbumCard key={`al${item.value.id}`} album={item.value} /> : <ArtistCard key={`ar${item.value.id}`} artist={item.value} />))}
      </div>
      {failure && <ErrorPanel message={failure} onRetry={() => void loadMore()} />}
      {loading && <div class="loading" aria-busy="true" aria-label="Loading" />}
      {cursor && !loading && (
        <button type="button" class="button secondary wide" onClick={() => void loadMore()}>
          Show more
        </button>
      )}
    </>
  );
}

function AccountCard() {
  const [state, retry] = useAsync((signal) => services.api.me(signal), 'me');
  const signOut = async () => {
    await services.auth.signOut();
    services.router.navigate('/', { replace: true });
  };
  return (
    <section class="account" aria-label="Account">
      <h2>Account</h2>
      <AsyncView state={state} retry={retry}>
        {(account) => (
          <p>
            Signed in as <strong>{account.username}</strong> · <span class="tier">{account.tier === 'premium' ? 'Premium' : 'Free'}</span>
          </p>
        )}
      </AsyncView>
      <button type="button" class="button secondary" onClick={() => void signOut()}>
        Sign out
      </button>
    </section>
  );
}
