import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../shared/api/errors';
import { PrimedPlaylists } from './primed-playlists';
import { StreamSources } from './stream-sources';

function fakeApi() {
  return {
    streamUrl: vi.fn(async (id: number) => ({ url: `/api/v1/tracks/${id}/stream?sig=s`, expires_at: 0 })),
    hlsMaster: vi.fn(async (id: number, options?: { skip?: boolean }) => ({
      url: `/api/v1/media/hls/${id}/master/free/d${options?.skip ? 's' : ''}/master.m3u8`,
      text: `#EXTM3U\n# master of ${id}\n`,
    })),
  };
}

describe('stream sources', () => {
  it('plays the HLS master where hls.js runs, passing the skip on to the server', async () => {
    const api = fakeApi();
    const sources = new StreamSources(api, 'hls.js');
    expect(await sources.source(4)).toEqual({ kind: 'hls', url: '/api/v1/media/hls/4/master/free/d/master.m3u8' });
    await sources.source(5, { skip: true });
    expect(api.hlsMaster.mock.calls.map((call) => [call[0], call[1]?.skip ?? false])).toEqual([[4, false], [5, true]]);
    expect(api.streamUrl).not.toHaveBeenCalled();
  });

  it('plays the signed original elsewhere, and prefetches it too', async () => {
    const api = fakeApi();
    const sources = new StreamSources(api, 'progressive');
    expect(await sources.source(4, { skip: true })).toEqual({ kind: 'progressive', url: '/api/v1/tracks/4/stream?sig=s' });
    expect(await sources.prefetch(5)).toEqual({ kind: 'progressive', url: '/api/v1/tracks/5/stream?sig=s' });
    expect(api.hlsMaster).not.toHaveBeenCalled();
  });

  it('resolves the next track ahead, then starts it without asking again, once', async () => {
    const api = fakeApi();
    const sources = new StreamSources(api, 'hls.js');
    expect(await sources.prefetch(6)).toEqual({ kind: 'hls', url: '/api/v1/media/hls/6/master/free/d/master.m3u8' });
    expect((await sources.source(6)).url).toBe('/api/v1/media/hls/6/master/free/d/master.m3u8');
    await sources.source(6);
    expect(api.hlsMaster).toHaveBeenCalledTimes(2);
  });

  it('asks the server when the listener skips to the prefetched track: the skip must be counted', async () => {
    const api = fakeApi();
    const sources = new StreamSources(api, 'hls.js');
    await sources.prefetch(6);
    expect((await sources.source(6, { skip: true })).url).toBe('/api/v1/media/hls/6/master/free/ds/master.m3u8');
  });

  it('keeps a failed prefetch quiet: the start of the track explains', async () => {
    const api = fakeApi();
    api.hlsMaster.mockRejectedValueOnce(new ApiError(403, 'premium_required', 'This album is for Premium listeners.'));
    const sources = new StreamSources(api, 'hls.js');
    await expect(sources.prefetch(8)).resolves.toBeNull();
    api.hlsMaster.mockRejectedValueOnce(new ApiError(403, 'premium_required', 'This album is for Premium listeners.'));
    await expect(sources.source(8)).rejects.toThrow('Premium');
  });

  it('keeps the master it read, so hls.js is handed it instead of fetching it again', async () => {
    const primed = new PrimedPlaylists();
    const sources = new StreamSources(fakeApi(), 'hls.js', primed);
    await sources.source(4);
    expect(primed.get('/api/v1/media/hls/4/master/free/d/master.m3u8')).toBe('#EXTM3U\n# master of 4\n');
  });

  it('a start while the track is being resolved ahead joins that request instead of sending another', async () => {
    const api = fakeApi();
    const sources = new StreamSources(api, 'hls.js');
    const warming = sources.prefetch(6);
    const started = sources.source(6);
    expect(await started).toEqual(await warming);
    expect(api.hlsMaster).toHaveBeenCalledTimes(1);
  });

  it('resolves several tracks ahead at once, each used by its own start', async () => {
    const api = fakeApi();
    const sources = new StreamSources(api, 'hls.js');
    await Promise.all([sources.prefetch(6), sources.prefetch(7)]);
    await sources.source(7);
    await sources.source(6);
    expect(api.hlsMaster).toHaveBeenCalledTimes(2);
  });

  it('asks again for a source resolved too long ago (a signed link may have expired)', async () => {
    const api = fakeApi();
    let now = 0;
    const sources = new StreamSources(api, 'progressive', new PrimedPlaylists(), async () => undefined, () => now);
    await sources.prefetch(6);
    now = 11 * 60_000;
    await sources.source(6);
    expect(api.streamUrl).toHaveBeenCalledTimes(2);
  });

  it('warming fetches the files of an HLS start after its source, never for an original', async () => {
    const warmed: string[] = [];
    const hls = new StreamSources(fakeApi(), 'hls.js', new PrimedPlaylists(), async (master, { firstSegment }) => {
      warmed.push(`${master} ${firstSegment}`);
    });
    await hls.warm(4, { firstSegment: true });
    expect(warmed).toEqual(['/api/v1/media/hls/4/master/free/d/master.m3u8 true']);
    const progressive = new StreamSources(fakeApi(), 'progressive', new PrimedPlaylists(), async () => {
      throw new Error('not for originals');
    });
    await progressive.warm(4, { firstSegment: true });
  });

  it("a start asks for its master's first files at once, beside hls.js's own playlist request", async () => {
    const warmed: string[] = [];
    const sources = new StreamSources(fakeApi(), 'hls.js', new PrimedPlaylists(), async (master, { firstSegment }) => {
      warmed.push(`${master} ${firstSegment}`);
    });
    await sources.source(4);
    expect(warmed).toEqual(['/api/v1/media/hls/4/master/free/d/master.m3u8 true']);
  });
});
