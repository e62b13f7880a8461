import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../shared/testing/memory-storage';
import { BandwidthMemory } from './bandwidth-memory';
import { RenditionChoice } from './hls-attacher';
import { HlsWarmer } from './hls-warmer';
import { PrimedPlaylists } from './primed-playlists';

const origin = 'http://t.test';
const masterUrl = `${origin}/api/v1/media/hls/7/master/free/abc/master.m3u8`;
const master = [
  '#EXTM3U',
  '#EXT-X-STREAM-INF:BANDWIDTH=140000,CODECS="mp4a.40.2"',
  '/api/v1/media/hls/7/aac-lc-128/d1/index.m3u8',
  '#EXT-X-STREAM-INF:BANDWIDTH=56000,CODECS="mp4a.40.5"',
  '/api/v1/media/hls/7/he-aac-48/d2/index.m3u8',
].join('\n');
const playlist = '#EXTM3U\n#EXT-X-MAP:URI="init.mp4"\n#EXT-X-KEY:METHOD=AES-128,URI="/api/v1/tracks/7/hls/keys/he-aac-48"\n#EXTINF:6.0,\n0.m4s\n#EXTINF:6.0,\n1.m4s\n';

function setUp() {
  const fetched: string[] = [];
  const fetcher = (async (input: RequestInfo | URL) => {
    fetched.push(String(input));
    return new Response(String(input).endsWith('.m3u8') ? playlist : new ArrayBuffer(8));
  }) as typeof fetch;
  const primed = new PrimedPlaylists();
  primed.set(masterUrl, master);
  const choice = new RenditionChoice(new BandwidthMemory(new MemoryStorage()));
  return { fetched, primed, choice, warmer: new HlsWarmer(fetcher, primed, choice) };
}

describe('warming an HLS start', () => {
  it("fetches the start rendition's playlist (kept for hls.js), its init and first segment, and starts there", async () => {
    const { fetched, primed, choice, warmer } = setUp();
    await warmer.warm(masterUrl, { firstSegment: true });
    const playlistUrl = `${origin}/api/v1/media/hls/7/he-aac-48/d2/index.m3u8`;
    expect(fetched).toEqual([playlistUrl, `${origin}/api/v1/media/hls/7/he-aac-48/d2/init.mp4`, `${origin}/api/v1/media/hls/7/he-aac-48/d2/0.m4s`]);
    expect(primed.get(playlistUrl)).toBe(playlist);
    choice.lastRendition = 'aac-lc-128';
    expect(choice.startLevel(masterUrl, [{ rendition: 'aac-lc-128', bitrate: 140000 }, { rendition: 'he-aac-48', bitrate: 56000 }])).toBe(1);
  });

  it('a screen warms the playlist only: no segment is fetched (nor encoded) for a track merely looked at', async () => {
    const { fetched, warmer } = setUp();
    await warmer.warm(masterUrl, { firstSegment: false });
    expect(fetched).toEqual([`${origin}/api/v1/media/hls/7/he-aac-48/d2/index.m3u8`]);
  });
});
