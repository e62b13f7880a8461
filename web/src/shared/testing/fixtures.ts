import type { Account, PlaylistDetail, PlaylistSummary, TrackSummary } from '../api/tonearm';

/** A track as the API describes it; `overrides` for what a test is about. */
export function track(id: number, title: string, overrides: Partial<TrackSummary> = {}): TrackSummary {
  return {
    id,
    title,
    artists: [{ id: 3, name: 'Aurora Lane' }],
    album: { id: 4, title: 'Northern Lights' },
    album_artist: { id: 3, name: 'Aurora Lane' },
    duration_ms: 180_000,
    format: 'flac',
    premium_only: false,
    added_at: 0,
    ...overrides,
  };
}

/** A playlist with these tracks, each an entry whose id is ten times the track's. */
export function playlist(id: number, name: string, tracks: TrackSummary[], owner = { id: 1, username: 'maya' }): PlaylistDetail {
  return {
    id,
    name,
    description: '',
    public: false,
    owner,
    track_count: tracks.length,
    version: 1,
    created_at: 0,
    updated_at: 0,
    entries: tracks.map((entry) => ({ entry_id: entry.id * 10, added_at: 0, track: entry })),
  };
}

/** The summary the server answers an edit with. */
export function summaryOf(detail: PlaylistDetail): PlaylistSummary {
  const { entries: _entries, ...summary } = detail;
  return { ...summary, track_count: detail.entries.length };
}

/** The signed-in listener (`GET /api/v1/me`). */
export function account(id: number, username: string): Account {
  return { id, username, email: `${username}@example.test`, role: 'user', tier: 'free', disabled: false, created_at: 0 };
}
