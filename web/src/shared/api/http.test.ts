import { describe, expect, it, vi } from 'vitest';
import { ApiError } from './errors';
import { HttpClient, type TokenSource } from './http';
import { backoffDelay } from './retry';

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** A token source that hands out `token-1`, then `token-2` after a rejection. */
function tokens(): TokenSource & { renewals: number } {
  const source = {
    renewals: 0,
    current: 'token-1',
    accessToken: async () => source.current,
    renewAfterRejection: async () => {
      source.renewals += 1;
      source.current = `token-${source.renewals + 1}`;
      return source.current;
    },
  };
  return source;
}

function client(fetch: typeof globalThis.fetch, tokenSource: TokenSource = tokens()) {
  const sleeps: number[] = [];
  const http = new HttpClient({
    fetch,
    tokens: tokenSource,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    policy: { retries: 3, baseDelayMs: 100, maxDelayMs: 1000 },
  });
  return { http, sleeps };
}

describe('retries', () => {
  it('retries idempotent requests after network failures and 503s, backing off exponentially', async () => {
    const fetch = vi
      .fn<typeof globalThis.fetch>()
      .mockRejectedValueOnce(new TypeError('network down'))
      .mockResolvedValueOnce(json(503, {}))
      .mockResolvedValueOnce(json(200, { ok: true }));
    const { http, sleeps } = client(fetch);
    await expect(http.request('GET', '/api/v1/albums')).resolves.toEqual({ ok: true });
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(sleeps).toEqual([50, 100]); // half of 100·2⁰ and of 100·2¹ with random() = 0.5
  });

  it('gives up after the retry budget with a human message', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>().mockRejectedValue(new TypeError('network down'));
    const { http } = client(fetch);
    const failure = http.request('GET', '/api/v1/albums');
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ status: 0, code: 'network' });
    expect(fetch).toHaveBeenCalledTimes(4);
  });

  it('never retries a POST: it might have been applied', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>().mockResolvedValue(json(503, {}));
    const { http } = client(fetch);
    await expect(http.request('POST', '/api/v1/things')).rejects.toMatchObject({ status: 503 });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('does not retry client errors, and keeps the server code', async () => {
    const body = { error: { code: 'premium_required', message: 'lossless streams need a premium account' } };
    const fetch = vi.fn<typeof globalThis.fetch>().mockResolvedValue(json(403, body));
    const { http } = client(fetch);
    await expect(http.request('GET', '/api/v1/tracks/1/stream-url')).rejects.toMatchObject({
      status: 403,
      code: 'premium_required',
      message: 'Lossless streams need a premium account.',
    });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('honours Retry-After on 429', async () => {
    const fetch = vi
      .fn<typeof globalThis.fetch>()
      .mockResolvedValueOnce(json(429, {}, { 'retry-after': '2' }))
      .mockResolvedValueOnce(json(200, {}));
    const { http, sleeps } = client(fetch);
    await http.request('GET', '/api/v1/albums');
    expect(sleeps).toEqual([2000]);
  });

  it('full jitter stays below the capped exponential ceiling', () => {
    const policy = { retries: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(policy, 0, () => 0.999)).toBeLessThan(100);
    expect(backoffDelay(policy, 3, () => 0.999)).toBeLessThan(800);
    expect(backoffDelay(policy, 10, () => 0.999)).toBeLessThan(1000);
    expect(backoffDelay(policy, 2, () => 0)).toBe(0);
  });
});

describe('authentication', () => {
  it('renews the token once on 401 and repeats the request with the new one', async () => {
    const source = tokens();
    const fetch = vi
      .fn<typeof globalThis.fetch>()
      .mockResolvedValueOnce(json(401, { error: { code: 'unauthorized', message: 'expired' } }))
      .mockResolvedValueOnce(json(200, { id: 1 }));
    const { http } = client(fetch, source);
    await expect(http.request('GET', '/api/v1/me')).resolves.toEqual({ id: 1 });
    const headers = fetch.mock.calls.map((call) => (call[1]?.headers as Record<string, string>).authorization);
    expect(headers).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(source.renewals).toBe(1);
  });

  it('a second 401 after renewing is reported, not looped on', async () => {
    const source = tokens();
    const fetch = vi.fn<typeof globalThis.fetch>().mockResolvedValue(json(401, {}));
    const { http } = client(fetch, source);
    await expect(http.request('GET', '/api/v1/me')).rejects.toMatchObject({ status: 401 });
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(source.renewals).toBe(1);
  });

  it('public requests carry no token', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>().mockResolvedValue(json(200, {}));
    const { http } = client(fetch);
    await http.request('GET', '/api/v1/covers/x', { authenticated: false });
    expect((fetch.mock.calls[0]?.[1]?.headers as Record<string, string>).authorization).toBeUndefined();
  });
});

describe('redirecting entry points', () => {
  /** What `fetch` answers after following a redirect: the final response, with its URL. */
  function redirected(url: string): Response {
    const response = new Response('#EXTM3U\n', { status: 200 });
    Object.defineProperty(response, 'url', { value: url });
    return response;
  }

  it('answers where the redirect led and its text, asked with the token and the query', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>().mockResolvedValue(redirected('http://host/api/v1/media/hls/3/master/free/d/master.m3u8'));
    const { http } = client(fetch);
    const master = await http.getRedirectedText('/api/v1/tracks/3/hls/master.m3u8', { query: { skip: 'true' } });
    expect(master).toEqual({ url: 'http://host/api/v1/media/hls/3/master/free/d/master.m3u8', text: '#EXTM3U\n' });
    expect(fetch.mock.calls[0]?.[0]).toBe('/api/v1/tracks/3/hls/master.m3u8?skip=true');
    expect((fetch.mock.calls[0]?.[1]?.headers as Record<string, string>).authorization).toBe('Bearer token-1');
  });

  it('reports a refusal as the API error it is', async () => {
    const body = { error: { code: 'premium_required', message: 'this album is for premium listeners' } };
    const fetch = vi.fn<typeof globalThis.fetch>().mockResolvedValue(json(403, body));
    const { http } = client(fetch);
    await expect(http.getRedirectedText('/api/v1/tracks/3/hls/master.m3u8')).rejects.toMatchObject({
      code: 'premium_required',
      message: 'This album is for premium listeners.',
    });
  });
});

describe('edits', () => {
  it('sends a JSON body with the version it is based on, and hands back the new ETag', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>().mockResolvedValue(json(200, { version: 8 }, { etag: '"v8"' }));
    const { http } = client(fetch);
    const saved = await http.requestTagged('PUT', '/api/v1/playlists/5/entries/50/position', { body: { position: 0 }, ifMatch: '"v7"' });
    expect(saved).toEqual({ value: { version: 8 }, etag: '"v8"' });
    const init = fetch.mock.calls[0]?.[1];
    expect(init?.body).toBe('{"position":0}');
    expect(init?.headers).toMatchObject({ 'content-type': 'application/json', 'if-match': '"v7"' });
  });

  it('does not retry a POST, which may have been applied before the connection dropped', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>().mockRejectedValue(new TypeError('network'));
    const { http } = client(fetch);
    await expect(http.request('POST', '/api/v1/playlists', { body: { name: 'x' } })).rejects.toMatchObject({ code: 'network' });
    expect(fetch).toHaveBeenCalledOnce();
  });
});
