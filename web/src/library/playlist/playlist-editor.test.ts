import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../shared/api/errors';
import type { Tagged } from '../../shared/api/http';
import type { PlaylistDetail, PlaylistSummary, TrackSummary } from '../../shared/api/tonearm';
import { Notices } from '../../shared/notices';
import { CHANGED_ELSEWHERE, PlaylistEditor } from './playlist-editor';

function detail(version: number, trackIds: number[]): PlaylistDetail {
  return {
    id: 5,
    name: 'Road trip',
    description: '',
    public: false,
    owner: { id: 1, username: 'maya' },
    track_count: trackIds.length,
    version,
    created_at: 0,
    updated_at: 0,
    entries: trackIds.map((id) => ({ entry_id: id * 10, added_at: 0, track: { id, title: `T${id}` } as unknown as TrackSummary })),
  };
}

function summary(version: number): Tagged<PlaylistSummary> {
  const { entries: _entries, ...rest } = detail(version, []);
  return { value: rest, etag: `"v${version}"` };
}

const ids = (editor: PlaylistEditor) => editor.detail.value?.entries.map((entry) => entry.track.id);

function setUp(server: { detail: PlaylistDetail; etag: string }) {
  const api = {
    playlist: vi.fn(async () => ({ value: server.detail, etag: server.etag })),
    moveEntry: vi.fn(async (_id: number, _entry: number, _to: number, _etag: string | null) => summary(2)),
    removeEntry: vi.fn(async (_id: number, _entry: number, _etag: string | null) => summary(2)),
    renamePlaylist: vi.fn(async (_id: number, _name: string, _etag: string | null) => summary(2)),
  };
  const notices = new Notices();
  const saved = vi.fn();
  return { api, notices, saved, editor: new PlaylistEditor(5, api, notices, saved) };
}

describe('PlaylistEditor', () => {
  it('moves at once and sends the move with the version it was based on, then the next with the new one', async () => {
    const { api, editor, saved } = setUp({ detail: detail(1, [1, 2, 3]), etag: '"v1"' });
    await editor.load();
    api.moveEntry.mockResolvedValueOnce(summary(2)).mockResolvedValueOnce(summary(3));
    const first = editor.move(0, 2);
    const second = editor.move(0, 1);
    await Promise.all([first, second]);
    expect(ids(editor)).toEqual([3, 2, 1]);
    expect(api.moveEntry.mock.calls).toEqual([
      [5, 10, 2, '"v1"'],
      [5, 20, 1, '"v2"'],
    ]);
    expect(editor.detail.value?.version).toBe(3);
    expect(saved).toHaveBeenCalledTimes(2);
  });

  it('a 412 loads the latest version and says so kindly', async () => {
    const server = { detail: detail(1, [1, 2, 3]), etag: '"v1"' };
    const { api, editor, notices } = setUp(server);
    await editor.load();
    // Another device removed track 2 meanwhile.
    server.detail = detail(4, [1, 3]);
    server.etag = '"v4"';
    api.moveEntry.mockRejectedValueOnce(new ApiError(412, 'playlist_changed', 'the playlist changed'));
    await editor.move(2, 0);
    expect(ids(editor)).toEqual([1, 3]);
    expect(notices.current.value?.message).toBe(CHANGED_ELSEWHERE);
    await editor.rename('Road trip 2');
    expect(api.renamePlaylist).toHaveBeenCalledWith(5, 'Road trip 2', '"v4"');
  });

  it('any other failure puts the list back and says why', async () => {
    const { api, editor, notices } = setUp({ detail: detail(1, [1, 2]), etag: '"v1"' });
    await editor.load();
    api.removeEntry.mockRejectedValueOnce(new ApiError(0, 'network', "Can't reach your Tonearm server."));
    await editor.remove(10);
    expect(ids(editor)).toEqual([1, 2]);
    expect(editor.detail.value?.track_count).toBe(2);
    expect(notices.current.value?.message).toContain("Can't reach");
  });

  it('a move of an entry that is not there sends nothing', async () => {
    const { api, editor } = setUp({ detail: detail(1, [1, 2]), etag: '"v1"' });
    await editor.load();
    await editor.move(5, 0);
    expect(api.moveEntry).not.toHaveBeenCalled();
  });
});
