import { BackBar } from '../../shared/ui/BackBar';
import { useServices } from '../../app/services-context';
import { plural } from '../../shared/format';
import { AsyncView } from '../../shared/ui/AsyncView';
import { useAsync } from '../../shared/ui/useAsync';
import { AlbumCard } from '../../shared/ui/cards';

export function GenreView({ id }: { id: number }) {
  const { api } = useServices();
  const [state, retry] = useAsync((signal) => api.genre(id, signal), id);
  return (
    <main class="page">
      <BackBar />
      <AsyncView state={state} retry={retry}>
        {(detail) => (
          <>
            <h1 class="page-title">{detail.name}</h1>
            <p class="detail-meta">{plural(detail.album_count, 'album')}</p>
            <div class="grid">
              {detail.albums.map((album) => (
                <AlbumCard key={album.id} album={album} />
              ))}
            </div>
          </>
        )}
      </AsyncView>
    </main>
  );
}
