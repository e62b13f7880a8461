import { describe, expect, it } from 'vitest';
import { errorFromResponse } from './errors';
import { retryAfterMs } from './retry';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });

describe('errors for people', () => {
  it('keeps the server code and shows its wording of a refusal as a sentence', async () => {
    const error = await errorFromResponse(json(403, { error: { code: 'premium_required', message: 'lossless streams need a premium account' } }));
    expect([error.status, error.code, error.message]).toEqual([403, 'premium_required', 'Lossless streams need a premium account.']);
  });

  it('words common statuses itself rather than echoing internals', async () => {
    expect((await errorFromResponse(json(500, { error: { code: 'internal', message: 'internal error' } }))).message).toBe(
      'Your Tonearm server had a problem. Try again in a moment.',
    );
    expect((await errorFromResponse(json(404, { error: { code: 'not_found', message: 'album 9 does not exist' } }))).message).toBe(
      "This isn't in your library any more.",
    );
  });

  it('keeps how long to wait before asking again (a skip limit)', async () => {
    const body = { error: { code: 'skip_limit_reached', message: 'free accounts can skip 6 tracks an hour' } };
    const limited = await errorFromResponse(new Response(JSON.stringify(body), { status: 403, headers: { 'retry-after': '754' } }));
    expect([limited.code, limited.retryAfterSeconds]).toEqual(['skip_limit_reached', 754]);
    expect((await errorFromResponse(json(403, body))).retryAfterSeconds).toBeUndefined();
  });

  it('copes with a body that is not the API error shape (a proxy error page)', async () => {
    const error = await errorFromResponse(new Response('<html>Bad gateway</html>', { status: 502 }));
    expect([error.code, error.message]).toEqual(['http_502', 'Your Tonearm server had a problem. Try again in a moment.']);
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates, and ignores garbage', () => {
    const now = Date.parse('Wed, 25 Nov 2026 12:00:00 GMT');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Wed, 25 Nov 2026 12:00:10 GMT', now)).toBe(10_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
