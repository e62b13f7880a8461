import { describe, expect, it } from 'vitest';
import type { ErrorData } from 'hls.js';
import { authorizeTrackRoutes, finalFailure } from './hls-attacher';
import {
  firstFiles,
  isRetryableLoadStatus,
  masterVariants,
  predictedFirstFiles,
  startLevel,
  levelForQuality,
  needsAuthorization,
  playbackPath,
  primingLeftIn,
  renditionOf,
} from './hls-rules';

const origin = 'https://music.example.com';
const playlist = (rendition: string) => `/api/v1/media/hls/7/${rendition}/0123abcd/index.m3u8`;

describe('the way a track is played', () => {
  it('is hls.js wherever it runs, and the original file elsewhere, never native HLS', () => {
    expect(playbackPath(true)).toBe('hls.js');
    expect(playbackPath(false)).toBe('progressive');
  });
});

describe('the access token', () => {
  it('goes to the HLS entry and the keys, under our own origin only', () => {
    expect(needsAuthorization(`${origin}/api/v1/tracks/7/hls/master.m3u8`, origin)).toBe(true);
    expect(needsAuthorization('/api/v1/tracks/7/hls/keys/aac-lc-128', origin)).toBe(true);
    expect(needsAuthorization('https://cdn.example.net/api/v1/tracks/7/hls/keys/aac-lc-128', origin)).toBe(false);
  });

  it('never goes to the public playlists and segments a CDN caches for everyone', () => {
    expect(needsAuthorization(`${origin}/api/v1/media/hls/7/master/free/abc/master.m3u8`, origin)).toBe(false);
    expect(needsAuthorization(`${origin}${playlist('aac-lc-128')}`, origin)).toBe(false);
    expect(needsAuthorization(`${origin}/api/v1/media/hls/7/aac-lc-128/0123abcd/3.m4s`, origin)).toBe(false);
  });

  it('is set on hls.js requests by that rule, fresh from the session each time', async () => {
    let issued = 0;
    const sent: string[] = [];
    const setup = authorizeTrackRoutes({ accessToken: async () => `token-${++issued}` }, origin, (token) => sent.push(token));
    const headers: [string, string][] = [];
    const xhr = { setRequestHeader: (name: string, value: string) => void headers.push([name, value]) };
    await setup(xhr, `${origin}/api/v1/media/hls/7/aac-lc-128/0123abcd/0.m4s`);
    await setup(xhr, `${origin}/api/v1/tracks/7/hls/keys/aac-lc-128`);
    expect(headers).toEqual([['Authorization', 'Bearer token-1']]);
    expect(sent).toEqual(['token-1']);
  });
});

describe('streaming quality', () => {
  const free = ['he-aac-48', 'aac-lc-64', 'aac-lc-128'];
  const premiumLossless = ['he-aac-48', 'aac-lc-64', 'aac-lc-128', 'aac-lc-256', 'flac'];

  it('auto leaves the choice to the bandwidth estimate', () => {
    expect(levelForQuality('auto', premiumLossless)).toBe(-1);
  });

  it('maps each fixed quality to its rendition', () => {
    expect(levelForQuality('low', premiumLossless)).toBe(0);
    expect(levelForQuality('normal', premiumLossless)).toBe(2);
    expect(levelForQuality('high', premiumLossless)).toBe(3);
    expect(levelForQuality('lossless', premiumLossless)).toBe(4);
  });

  it('takes the best rendition at or below the choice that the tier-capped master has', () => {
    expect(levelForQuality('high', free)).toBe(2);
    expect(levelForQuality('lossless', free)).toBe(2);
    expect(levelForQuality('lossless', premiumLossless.slice(0, 4))).toBe(3);
  });

  it('finds renditions by name, whatever order the master lists them in', () => {
    expect(levelForQuality('normal', ['aac-lc-256', 'aac-lc-128', 'he-aac-48'])).toBe(1);
  });

  it('takes the lowest there is when nothing is at or below the choice', () => {
    expect(levelForQuality('low', ['aac-lc-128', 'aac-lc-64', null])).toBe(1);
  });

  it('reads the rendition from a media playlist address', () => {
    expect(renditionOf(`${origin}${playlist('aac-lc-256')}`)).toBe('aac-lc-256');
    expect(renditionOf(playlist('flac'))).toBe('flac');
    expect(renditionOf(`${origin}/somewhere/else.m3u8`)).toBeNull();
  });
});

describe('load failures', () => {
  it('retries dropped connections, renewed tokens and transient statuses; not refusals or missing files', () => {
    expect([0, 401, 408, 429, 500, 503].map(isRetryableLoadStatus)).toEqual([true, true, true, true, true, true]);
    expect([403, 404, 410, undefined].map(isRetryableLoadStatus)).toEqual([false, false, false, false]);
  });
});

describe('final answers to hls.js loads', () => {
  it('tell the player what happened: a refusal in the server\'s words, a changed track, a broken source', async () => {
    const refusal = { error: { code: 'premium_required', message: 'this release is for Premium listeners only: upgrade to play it' } };
    const forbidden = { response: new TextEncoder().encode(JSON.stringify(refusal)).buffer };
    const data = (networkDetails: unknown) => ({ networkDetails }) as unknown as ErrorData;
    expect(await finalFailure(404, data(null))).toEqual({ reason: 'network' });
    expect(await finalFailure(422, data(null))).toEqual({ reason: 'decode' });
    expect(await finalFailure(410, data(null))).toEqual({ reason: 'unknown' });
    expect(await finalFailure(403, data(forbidden))).toEqual({ reason: 'refused', message: 'This release is for Premium listeners only: upgrade to play it.' });
    expect(await finalFailure(403, data(null))).toEqual({ reason: 'refused', message: 'This needs a Premium account.' });
  });
});

describe('priming left in by the browser', () => {
  // 6144 frames of priming at 44.1 kHz, and a first segment of 129 × 2048 frames.
  const priming = 6144 / 44_100;
  const segment = (129 * 2048) / 44_100;

  it('is none when MSE applies the edit list (Chromium): the segment ends where the playlist ends it', () => {
    expect(primingLeftIn(segment, segment)).toBe(0);
    expect(primingLeftIn(segment + 0.0000004, 5.990748)).toBe(0);
  });

  it('is the priming when the browser ignores the edit list', () => {
    expect(primingLeftIn(segment + priming, segment)).toBeCloseTo(priming, 6);
    expect(primingLeftIn(2 * segment + priming, 2 * segment)).toBeCloseTo(priming, 6);
  });
});

describe('fast starts', () => {
  const master = [
    '#EXTM3U',
    '#EXT-X-INDEPENDENT-SEGMENTS',
    '#EXT-X-STREAM-INF:BANDWIDTH=140000,CODECS="mp4a.40.2"',
    '../../../aac-lc-128/d1/index.m3u8',
    '#EXT-X-STREAM-INF:BANDWIDTH=56000,CODECS="mp4a.40.5"',
    '/api/v1/media/hls/7/he-aac-48/d2/index.m3u8',
    '#EXT-X-STREAM-INF:BANDWIDTH=280000,CODECS="mp4a.40.2"',
    '/api/v1/media/hls/7/aac-lc-256/d3/index.m3u8',
  ].join('\n');
  const masterUrl = 'http://t.test/api/v1/media/hls/7/master/free/abc/master.m3u8';
  const variants = masterVariants(master, masterUrl);
  const auto = { quality: 'auto' as const, warmed: null, lastRendition: null, estimateBps: null, saveData: false };

  it("reads a master's variants, their bit rates and renditions, with absolute URLs", () => {
    expect(variants).toEqual([
      { url: 'http://t.test/api/v1/media/hls/7/aac-lc-128/d1/index.m3u8', bitrate: 140000, rendition: 'aac-lc-128' },
      { url: 'http://t.test/api/v1/media/hls/7/he-aac-48/d2/index.m3u8', bitrate: 56000, rendition: 'he-aac-48' },
      { url: 'http://t.test/api/v1/media/hls/7/aac-lc-256/d3/index.m3u8', bitrate: 280000, rendition: 'aac-lc-256' },
    ]);
  });

  it("reads a media playlist's init segment and first media segment", () => {
    const playlist = '#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXT-X-MAP:URI="init.mp4"\n#EXT-X-KEY:METHOD=AES-128,URI="/api/v1/tracks/7/hls/keys/he-aac-48"\n#EXTINF:6.0,\n0.m4s\n#EXTINF:6.0,\n1.m4s\n';
    expect(firstFiles(playlist, 'http://t.test/api/v1/media/hls/7/he-aac-48/d2/index.m3u8')).toEqual([
      'http://t.test/api/v1/media/hls/7/he-aac-48/d2/init.mp4',
      'http://t.test/api/v1/media/hls/7/he-aac-48/d2/0.m4s',
    ]);
  });

  it("guesses a media playlist's init and first segment from the server's naming", () => {
    expect(predictedFirstFiles('http://t.test/api/v1/media/hls/7/he-aac-48/d2/index.m3u8')).toEqual([
      'http://t.test/api/v1/media/hls/7/he-aac-48/d2/init.mp4',
      'http://t.test/api/v1/media/hls/7/he-aac-48/d2/0.m4s',
    ]);
  });

  it('starts on the lowest AAC rung when nothing is known of the link', () => {
    expect(startLevel(variants, auto)).toBe(1);
  });

  it("starts on the best rendition whose first segment fits the budget at the link's speed", () => {
    expect(startLevel(variants, { ...auto, estimateBps: 400_000 })).toBe(1);
    expect(startLevel(variants, { ...auto, estimateBps: 1_500_000 })).toBe(1);
    expect(startLevel(variants, { ...auto, estimateBps: 2_200_000 })).toBe(0);
    expect(startLevel(variants, { ...auto, estimateBps: 50_000_000 })).toBe(2);
  });

  it('prefers the rendition warmed ahead, then the one the previous track played on', () => {
    expect(startLevel(variants, { ...auto, warmed: 'aac-lc-256', lastRendition: 'aac-lc-128' })).toBe(2);
    expect(startLevel(variants, { ...auto, lastRendition: 'aac-lc-128', estimateBps: 400_000 })).toBe(0);
    expect(startLevel(variants, { ...auto, lastRendition: 'flac' })).toBe(1);
  });

  it('a fixed quality, and data saver, decide alone', () => {
    expect(startLevel(variants, { ...auto, quality: 'low', warmed: 'aac-lc-256', estimateBps: 50_000_000 })).toBe(1);
    expect(startLevel(variants, { ...auto, quality: 'high' })).toBe(2);
    expect(startLevel(variants, { ...auto, saveData: true, warmed: 'aac-lc-256', estimateBps: 50_000_000 })).toBe(1);
  });
});
