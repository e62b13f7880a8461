import { describe, expect, it, vi } from 'vitest';
import { AuthSession, type AuthDependencies } from './session';
import { challengeFor } from './pkce';
import { MemoryStorage } from '../shared/testing/memory-storage';

/** A Web Locks stand-in: one holder at a time, in arrival order. */
function fakeLocks(): Pick<LockManager, 'request'> {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    request: ((_name: string, task: () => Promise<unknown>) => {
      const run = tail.then(task, task);
      tail = run.catch(() => undefined);
      return run;
    }) as LockManager['request'],
  };
}

/** A token endpoint that rotates refresh tokens and revokes on reuse, like the server. */
function fakeServer() {
  let issued = 0;
  const spent = new Set<string>();
  let live = new Set<string>(['refresh-0']);
  const presented: string[] = [];
  const fetch = vi.fn<typeof globalThis.fetch>(async (_url, init) => {
    const form = new URLSearchParams(String(init?.body));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const token = form.get('refresh_token') ?? '';
    if (form.get('grant_type') === 'refresh_token') {
      presented.push(token);
      if (spent.has(token)) {
        live = new Set();
        return new Response(JSON.stringify({ error: 'invalid_grant' }), { status: 400 });
      }
      if (!live.has(token)) return new Response(JSON.stringify({ error: 'invalid_grant' }), { status: 400 });
      spent.add(token);
      live.delete(token);
    }
    issued += 1;
    live.add(`refresh-${issued}`);
    const body = { access_token: `access-${issued}`, token_type: 'Bearer', expires_in: 900, refresh_token: `refresh-${issued}` };
    return new Response(JSON.stringify(body), { status: 200 });
  });
  return { fetch, presented };
}

/** A session whose device already holds `refreshToken` (signed in before a reload), if given. */
function session(overrides: Partial<AuthDependencies> = {}, refreshToken?: string) {
  const persistent = new MemoryStorage();
  if (refreshToken) persistent.setItem('tonearm.refresh-token', refreshToken);
  const deps: AuthDependencies = {
    fetch: vi.fn(),
    persistent,
    perTab: new MemoryStorage(),
    origin: 'http://127.0.0.1:8340',
    now: () => 1_000_000,
    setTimer: () => 0,
    clearTimer: () => undefined,
    ...overrides,
  };
  return { auth: new AuthSession(deps), deps };
}

describe('sign-in with PKCE', () => {
  it('sends an S256 challenge of the verifier it later exchanges, and checks state', async () => {
    const server = fakeServer();
    const { auth, deps } = session({ fetch: server.fetch });
    const address = new URL(await auth.beginSignIn('/album/3'), 'http://127.0.0.1:8340');
    expect(address.pathname).toBe('/oauth/authorize');
    expect(address.searchParams.get('client_id')).toBe('tonearm-web');
    expect(address.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:8340/app/callback');
    expect(address.searchParams.get('code_challenge_method')).toBe('S256');

    const state = address.searchParams.get('state') ?? '';
    const returnTo = await auth.completeSignIn(new URLSearchParams({ code: 'the-code', state }));
    expect(returnTo).toBe('/album/3');
    const exchange = new URLSearchParams(String(server.fetch.mock.calls[0]?.[1]?.body));
    expect(exchange.get('grant_type')).toBe('authorization_code');
    expect(await challengeFor(exchange.get('code_verifier') ?? '')).toBe(address.searchParams.get('code_challenge'));
    expect(auth.status.value).toBe('signed-in');
    expect(deps.persistent.getItem('tonearm.refresh-token')).toBe('refresh-1');
    expect(deps.perTab.getItem('tonearm.pending-sign-in')).toBeNull();
    await expect(auth.accessToken()).resolves.toBe('access-1');
  });

  it('refuses a callback whose state does not match, without calling the server', async () => {
    const server = fakeServer();
    const { auth } = session({ fetch: server.fetch });
    await auth.beginSignIn('/');
    await expect(auth.completeSignIn(new URLSearchParams({ code: 'c', state: 'forged' }))).rejects.toMatchObject({ code: 'invalid_state' });
    expect(server.fetch).not.toHaveBeenCalled();
  });
});

describe('refresh', () => {
  it('concurrent callers share one refresh: the refresh token is presented once', async () => {
    const server = fakeServer();
    const { auth, deps } = session({ fetch: server.fetch });
    deps.persistent.setItem('tonearm.refresh-token', 'refresh-0');
    const tokens = await Promise.all([auth.accessToken(), auth.accessToken(), auth.renewAfterRejection('old')]);
    expect(tokens).toEqual(['access-1', 'access-1', 'access-1']);
    expect(server.presented).toEqual(['refresh-0']);
    expect(deps.persistent.getItem('tonearm.refresh-token')).toBe('refresh-1');
  });

  it('two tabs refreshing at once never present the same refresh token twice', async () => {
    const server = fakeServer();
    const persistent = new MemoryStorage();
    persistent.setItem('tonearm.refresh-token', 'refresh-0');
    const locks = fakeLocks();
    const tabA = session({ fetch: server.fetch, persistent, locks }).auth;
    const tabB = session({ fetch: server.fetch, persistent, locks }).auth;
    const [a, b] = await Promise.all([tabA.accessToken(), tabB.accessToken()]);
    expect(new Set(server.presented).size).toBe(server.presented.length);
    expect(server.presented).toEqual(['refresh-0', 'refresh-1']);
    expect([a, b]).toEqual(['access-1', 'access-2']);
    expect(tabA.status.value).toBe('signed-in');
  });

  it('uses the access token until shortly before it expires, then refreshes', async () => {
    const server = fakeServer();
    let now = 0;
    const { auth, deps } = session({ fetch: server.fetch, now: () => now });
    deps.persistent.setItem('tonearm.refresh-token', 'refresh-0');
    expect(await auth.accessToken()).toBe('access-1');
    now = 800_000; // 100 s before the 900 s expiry
    expect(await auth.accessToken()).toBe('access-1');
    now = 850_000; // inside the 60 s margin
    expect(await auth.accessToken()).toBe('access-2');
  });

  it('a refused refresh signs out; a network failure keeps the session', async () => {
    const offline = session({ fetch: vi.fn<typeof globalThis.fetch>().mockRejectedValue(new TypeError('offline')) }, 'refresh-0');
    expect(offline.auth.status.value).toBe('signed-in');
    await expect(offline.auth.accessToken()).rejects.toMatchObject({ code: 'network' });
    expect(offline.auth.status.value).toBe('signed-in');
    expect(offline.deps.persistent.getItem('tonearm.refresh-token')).toBe('refresh-0');

    const refusal = new Response('{"error":"invalid_grant"}', { status: 400 });
    const revoked = session({ fetch: vi.fn<typeof globalThis.fetch>().mockResolvedValue(refusal) }, 'refresh-0');
    await expect(revoked.auth.accessToken()).rejects.toMatchObject({ status: 401 });
    expect(revoked.auth.status.value).toBe('signed-out');
    expect(revoked.deps.persistent.getItem('tonearm.refresh-token')).toBeNull();
  });

  it('sign-out forgets the tokens and revokes the refresh token', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>().mockResolvedValue(new Response(null, { status: 200 }));
    const { auth, deps } = session({ fetch });
    deps.persistent.setItem('tonearm.refresh-token', 'refresh-0');
    await auth.signOut();
    expect(fetch.mock.calls[0]?.[0]).toBe('/oauth/revoke');
    expect(new URLSearchParams(String(fetch.mock.calls[0]?.[1]?.body)).get('token')).toBe('refresh-0');
    expect(auth.status.value).toBe('signed-out');
    expect(deps.persistent.getItem('tonearm.refresh-token')).toBeNull();
  });
});
