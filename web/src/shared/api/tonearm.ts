import type { components, paths } from './schema.gen';
import { HttpClient } from './http';

/** The 200 JSON body of an operation, straight from the generated OpenAPI types. */
type Ok<Path extends keyof paths, Method extends keyof paths[Path]> = paths[Path][Method] extends {
  responses: { 200: { content: { 'application/json': infer Body } } };
}
  ? Body
  : never;

type Schemas = components['schemas'];
export type AlbumSummary = Schemas['AlbumSummary'];
export type AlbumDetail = Ok<'/api/v1/albums/{id}', 'get'>;
export type ArtistSummary = Schemas['ArtistSummary'];
export type ArtistDetail = Ok<'/api/v1/artists/{id}', 'get'>;
export type GenreSummary = Schemas['GenreSummary'];
export type GenreDetail = Ok<'/api/v1/genres/{id}', 'get'>;
export type TrackSummary = Schemas['TrackSummary'];
export type Account = Ok<'/api/v1/me', 'get'>;
export type AlbumPage = Ok<'/api/v1/albums', 'get'>;
export type ArtistPage = Ok<'/api/v1/artists', 'get'>;
export type GenrePage = Ok<'/api/v1/genres', 'get'>;
export type SignedStreamUrl = Ok<'/api/v1/tracks/{id}/stream-url', 'get'>;

export type Sort = 'name' | 'date_added' | 'year';
export interface ListQuery {
  sort?: Sort;
  limit?: number;
  cursor?: string;
}

/** Every call the app makes, typed by the server's own OpenAPI document. */
export class TonearmApi {
  constructor(private readonly http: HttpClient) {}

  me(signal?: AbortSignal): Promise<Account> {
    return this.http.request('GET', '/api/v1/me', { signal });
  }

  albums(query: ListQuery = {}, signal?: AbortSignal): Promise<AlbumPage> {
    return this.http.request('GET', '/api/v1/albums', { query: { ...query }, signal });
  }

  album(id: number, signal?: AbortSignal): Promise<AlbumDetail> {
    return this.http.request('GET', `/api/v1/albums/${id}`, { signal });
  }

  artists(query: ListQuery = {}, signal?: AbortSignal): Promise<ArtistPage> {
    return this.http.request('GET', '/api/v1/artists', { query: { ...query }, signal });
  }

  artist(id: number, signal?: AbortSignal): Promise<ArtistDetail> {
    return this.http.request('GET', `/api/v1/artists/${id}`, { signal });
  }

  genres(query: ListQuery = {}, signal?: AbortSignal): Promise<GenrePage> {
    return this.http.request('GET', '/api/v1/genres', { query: { ...query }, signal });
  }

  genre(id: number, signal?: AbortSignal): Promise<GenreDetail> {
    return this.http.request('GET', `/api/v1/genres/${id}`, { signal });
  }

  /** A signed link for `<audio src>`, which cannot send an Authorization header. */
  streamUrl(trackId: number, signal?: AbortSignal): Promise<SignedStreamUrl> {
    return this.http.request('GET', `/api/v1/tracks/${trackId}/stream-url`, { signal });
  }
}

/** Covers are public (content-addressed ids) and immutable: plain URLs for `<img>`. */
export function coverUrl(coverId: string | null | undefined, size: 64 | 128 | 300 | 640 | 1200): string | null {
  return coverId ? `/api/v1/covers/${encodeURIComponent(coverId)}?size=${size}` : null;
}
