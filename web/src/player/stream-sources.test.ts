import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../shared/api/errors';
import { StreamSources } from './stream-sources';

function fakeApi() {
  return {
    streamUrl: vi.fn(async (id: number) => ({ url: `/api/v1/tracks/${id}/stream?sig=s`, expires_at: 0 })),
    hlsMaster: vi.fn(async (id: number, options?: { skip?: boolean }) => `/api/v1/media/hls/${id}/master/free/d${options?.skip ? 's' : ''}/master.m3u8`),
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
});
