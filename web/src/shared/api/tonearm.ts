import type { components, paths } from './schema.gen';
import type { HttpClient, Tagged } from './http';

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
export type Home = Ok<'/api/v1/home', 'get'>;
export type HomeShelf = Schemas['Shelf'];
export type SearchResults = Ok<'/api/v1/search', 'get'>;
export type PlaylistSummary = Schemas['PlaylistSummary'];
export type PlaylistDetail = Ok<'/api/v1/playlists/{id}', 'get'>;
export type PlaylistEntry = Schemas['PlaylistEntryView'];
export type LikedTracks = Ok<'/api/v1/me/likes/tracks', 'get'>;
export type LikedAlbums = Ok<'/api/v1/me/likes/albums', 'get'>;
export type LikedArtists = Ok<'/api/v1/me/likes/artists', 'get'>;
export type Entitlements = Ok<'/api/v1/me/entitlements', 'get'>;
export type NewReleases = Ok<'/api/v1/me/new-releases', 'get'>;
export type UserSettings = Schemas['UserSettings'];
export type SettingsPatch = Schemas['SettingsPatch'];
export type PlayEvent = Schemas['PlayEventIn'];
export type PlayContext = Schemas['PlayContext'];
export type RecordedEvents = Ok<'/api/v1/me/play-events', 'post'>;
export type RecommendationReason = Schemas['RecommendationReason'];
export type RecommendedTrack = Schemas['RecommendedTrack'];
export type MixSummary = Schemas['MixSummary'];
export type Mix = Ok<'/api/v1/me/mixes/{id}', 'get'>;
export type MixList = Ok<'/api/v1/me/mixes', 'get'>;
export type RecommendedTracks = Ok<'/api/v1/me/discover', 'get'>;
export type RelatedArtists = Ok<'/api/v1/artists/{id}/related', 'get'>;
export type RadioPage = Ok<'/api/v1/radio', 'get'>;
export type TastePicker = Ok<'/api/v1/me/taste-picker', 'get'>;
/** What a radio starts from, as the radio API spells it (`track:12`). */
export type RadioSeed = `${'track' | 'album' | 'artist' | 'playlist'}:${number}`;

/** What can be liked, as the likes API names it. */
export type LikeKind = 'tracks' | 'albums' | 'artists';
/** How the library's liked lists are ordered. */
export type LibrarySort = 'date_added' | 'name' | 'artist';

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

  /**
   * A signed link for `<audio src>`, which cannot send an Authorization header. `skip`: the
   * listener skipped to this track, which counts against the free tier's hourly limit.
   */
  streamUrl(trackId: number, options: { skip?: boolean; signal?: AbortSignal } = {}): Promise<SignedStreamUrl> {
    return this.http.request('GET', `/api/v1/tracks/${trackId}/stream-url`, {
      query: { skip: options.skip ? 'true' : undefined },
      signal: options.signal,
    });
  }

  /**
   * The public, content-addressed master playlist of the track's HLS renditions for this
   * listener's tier (the entry point answers with a redirect to it). `skip` counts as for `streamUrl`.
   */
  hlsMaster(trackId: number, options: { skip?: boolean; signal?: AbortSignal } = {}): Promise<{ url: string; text: string }> {
    return this.http.getRedirectedText(`/api/v1/tracks/${trackId}/hls/master.m3u8`, {
      query: { skip: options.skip ? 'true' : undefined },
      signal: options.signal,
    });
  }

  home(signal?: AbortSignal): Promise<Home> {
    return this.http.request('GET', '/api/v1/home', { signal });
  }

  search(text: string, signal?: AbortSignal): Promise<SearchResults> {
    return this.http.request('GET', '/api/v1/search', { query: { q: text, limit: 10 }, signal });
  }

  myPlaylists(signal?: AbortSignal): Promise<PlaylistSummary[]> {
    return this.http.request<{ items: PlaylistSummary[] }>('GET', '/api/v1/me/playlists', { signal }).then((list) => list.items);
  }

  playlist(id: number, signal?: AbortSignal): Promise<Tagged<PlaylistDetail>> {
    return this.http.requestTagged('GET', `/api/v1/playlists/${id}`, { signal });
  }

  createPlaylist(name: string): Promise<Tagged<PlaylistSummary>> {
    return this.http.requestTagged('POST', '/api/v1/playlists', { body: { name } });
  }

  renamePlaylist(id: number, name: string, etag: string | null): Promise<Tagged<PlaylistSummary>> {
    return this.http.requestTagged('PATCH', `/api/v1/playlists/${id}`, { body: { name }, ...ifMatch(etag) });
  }

  deletePlaylist(id: number): Promise<void> {
    return this.http.request('DELETE', `/api/v1/playlists/${id}`);
  }

  /** Appends tracks; without an ETag it applies to whatever the playlist holds now (adding never conflicts). */
  addToPlaylist(id: number, trackIds: number[], etag: string | null = null): Promise<Tagged<PlaylistSummary>> {
    return this.http.requestTagged('POST', `/api/v1/playlists/${id}/tracks`, { body: { track_ids: trackIds }, ...ifMatch(etag) });
  }

  moveEntry(id: number, entryId: number, position: number, etag: string | null): Promise<Tagged<PlaylistSummary>> {
    return this.http.requestTagged('PUT', `/api/v1/playlists/${id}/entries/${entryId}/position`, { body: { position }, ...ifMatch(etag) });
  }

  removeEntry(id: number, entryId: number, etag: string | null): Promise<Tagged<PlaylistSummary>> {
    return this.http.requestTagged('DELETE', `/api/v1/playlists/${id}/entries/${entryId}`, ifMatch(etag));
  }

  likedTracks(query: { sort?: LibrarySort; limit?: number; offset?: number } = {}, signal?: AbortSignal): Promise<LikedTracks> {
    return this.http.request('GET', '/api/v1/me/likes/tracks', { query: { ...query }, signal });
  }

  likedAlbums(query: { sort?: LibrarySort; limit?: number; offset?: number } = {}, signal?: AbortSignal): Promise<LikedAlbums> {
    return this.http.request('GET', '/api/v1/me/likes/albums', { query: { ...query }, signal });
  }

  likedArtists(query: { sort?: LibrarySort; limit?: number; offset?: number } = {}, signal?: AbortSignal): Promise<LikedArtists> {
    return this.http.request('GET', '/api/v1/me/likes/artists', { query: { ...query }, signal });
  }

  setLiked(kind: LikeKind, id: number, liked: boolean): Promise<void> {
    return this.http.request(liked ? 'PUT' : 'DELETE', `/api/v1/me/likes/${kind}/${id}`);
  }

  /** Idempotent by the events' own ids, so the sender may repeat a batch after a failure. */
  recordPlayEvents(events: PlayEvent[], options: { keepalive?: boolean } = {}): Promise<RecordedEvents> {
    return this.http.request('POST', '/api/v1/me/play-events', { body: { events }, ...(options.keepalive ? { keepalive: true } : {}) });
  }

  entitlements(signal?: AbortSignal): Promise<Entitlements> {
    return this.http.request('GET', '/api/v1/me/entitlements', { signal });
  }

  /** Albums added after `since` (Unix ms) by artists the listener likes, newest first. */
  newReleases(since: number, cursor?: string, signal?: AbortSignal): Promise<NewReleases> {
    return this.http.request('GET', '/api/v1/me/new-releases', { query: { since, limit: 100, cursor }, signal });
  }

  /** The listener's "Made for you" mixes. */
  mixes(signal?: AbortSignal): Promise<MixList> {
    return this.http.request('GET', '/api/v1/me/mixes', { signal });
  }

  mix(id: string, signal?: AbortSignal): Promise<Mix> {
    return this.http.request('GET', `/api/v1/me/mixes/${encodeURIComponent(id)}`, { signal });
  }

  /** Tracks the listener never played, each with why. */
  discover(signal?: AbortSignal): Promise<RecommendedTracks> {
    return this.http.request('GET', '/api/v1/me/discover', { signal });
  }

  /** One page of an endless radio; the seed track itself never appears in it. */
  radio(seed: RadioSeed, offset = 0, limit = 25, signal?: AbortSignal): Promise<RadioPage> {
    return this.http.request('GET', '/api/v1/radio', { query: { seed, offset, limit }, signal });
  }

  /** "Fans also like". */
  relatedArtists(id: number, signal?: AbortSignal): Promise<RelatedArtists> {
    return this.http.request('GET', `/api/v1/artists/${id}/related`, { signal });
  }

  /** Whether to offer the first-run "choose three artists" picker, and whom. */
  tastePicker(signal?: AbortSignal): Promise<TastePicker> {
    return this.http.request('GET', '/api/v1/me/taste-picker', { signal });
  }

  settings(signal?: AbortSignal): Promise<UserSettings> {
    return this.http.request('GET', '/api/v1/me/settings', { signal });
  }

  changeSettings(patch: SettingsPatch): Promise<UserSettings> {
    return this.http.request('PATCH', '/api/v1/me/settings', { body: patch });
  }
}

function ifMatch(etag: string | null): { ifMatch?: string } {
  return etag ? { ifMatch: etag } : {};
}

/** Covers are public (content-addressed ids) and immutable: plain URLs for `<img>`. */
export function coverUrl(coverId: string | null | undefined, size: 64 | 128 | 300 | 640 | 1200): string | null {
  return coverId ? `/api/v1/covers/${encodeURIComponent(coverId)}?size=${size}` : null;
}
