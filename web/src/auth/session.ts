import { Observable } from '../shared/observable';
import { ApiError, networkError } from '../shared/api/errors';
import { challengeFor, randomSecret } from './pkce';

/** The first-party public client the server registers out of the box. */
export const CLIENT_ID = 'tonearm-web';
export const CALLBACK_PATH = '/app/callback';

/** Persisted so a reload stays signed in; the access token stays in memory only. */
const REFRESH_TOKEN_KEY = 'tonearm.refresh-token';
/** Lives in sessionStorage for the one round trip through the sign-in form. */
const PENDING_SIGN_IN_KEY = 'tonearm.pending-sign-in';
/** Refresh this long before the access token expires, so requests never carry a stale one. */
const REFRESH_MARGIN_MS = 60_000;

export type AuthStatus = 'signed-out' | 'signed-in';

type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface AuthDependencies {
  fetch: typeof fetch;
  /** Survives reloads: holds the refresh token. */
  persistent: KeyValueStorage;
  /** Per tab: holds the PKCE verifier during sign-in. */
  perTab: KeyValueStorage;
  origin: string;
  now: () => number;
  /** Cross-tab mutual exclusion (Web Locks API) where the browser has it. */
  locks?: Pick<LockManager, 'request'> | undefined;
  setTimer: (callback: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
}

interface PendingSignIn {
  verifier: string;
  state: string;
  returnTo: string;
}

interface TokenResponse {
  access_token: string;
  expires_in: number;
  refresh_token: string;
}

function isTokenResponse(value: unknown): value is TokenResponse {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.access_token === 'string' &&
    typeof record.refresh_token === 'string' &&
    typeof record.expires_in === 'number'
  );
}

/**
 * The signed-in session: OAuth 2.0 authorization code + PKCE sign-in, the access token in
 * memory, and refreshes serialized (within the tab by one shared promise, across tabs by a
 * Web Lock) because the server revokes the whole session when a refresh token is presented twice.
 */
export class AuthSession {
  readonly status: Observable<AuthStatus>;
  private access: { token: string; expiresAt: number } | null = null;
  private inFlightRefresh: Promise<string> | null = null;
  private refreshTimer: unknown = null;

  constructor(private readonly deps: AuthDependencies) {
    this.status = new Observable<AuthStatus>(deps.persistent.getItem(REFRESH_TOKEN_KEY) ? 'signed-in' : 'signed-out');
  }

  get redirectUri(): string {
    return this.deps.origin + CALLBACK_PATH;
  }

  /** The sign-in page's address; remembers the verifier and state for `completeSignIn`. */
  async beginSignIn(returnTo: string): Promise<string> {
    const pending: PendingSignIn = { verifier: randomSecret(), state: randomSecret(), returnTo };
    this.deps.perTab.setItem(PENDING_SIGN_IN_KEY, JSON.stringify(pending));
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: this.redirectUri,
      code_challenge: await challengeFor(pending.verifier),
      code_challenge_method: 'S256',
      state: pending.state,
    });
    return `/oauth/authorize?${query.toString()}`;
  }

  /** Exchanges the callback's code; returns where the listener was before signing in. */
  async completeSignIn(callback: URLSearchParams): Promise<string> {
    const raw = this.deps.perTab.getItem(PENDING_SIGN_IN_KEY);
    this.deps.perTab.removeItem(PENDING_SIGN_IN_KEY);
    const pending = raw ? (JSON.parse(raw) as PendingSignIn) : null;
    const error = callback.get('error');
    if (error) throw new ApiError(400, error, 'Sign-in was refused. Please try again.');
    const code = callback.get('code');
    if (!pending || !code || callback.get('state') !== pending.state) {
      throw new ApiError(400, 'invalid_state', 'This sign-in link has expired or was not started here. Please sign in again.');
    }
    const tokens = await this.postToken({
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.redirectUri,
      client_id: CLIENT_ID,
      code_verifier: pending.verifier,
    });
    this.accept(tokens);
    return pending.returnTo;
  }

  /** A valid access token, refreshing first when it is missing or about to expire. */
  async accessToken(): Promise<string> {
    if (this.access && this.access.expiresAt - REFRESH_MARGIN_MS > this.deps.now()) return this.access.token;
    return this.refresh();
  }

  /** After a `401`: a newer token if someone already refreshed, else a refresh. */
  async renewAfterRejection(rejected: string): Promise<string> {
    if (this.access && this.access.token !== rejected && this.access.expiresAt > this.deps.now()) {
      return this.access.token;
    }
    this.access = null;
    return this.refresh();
  }

  /** One refresh at a time: callers arriving during a refresh share its outcome. */
  refresh(): Promise<string> {
    if (!this.inFlightRefresh) {
      this.inFlightRefresh = this.exclusively(() => this.rotateRefreshToken()).finally(() => {
        this.inFlightRefresh = null;
      });
    }
    return this.inFlightRefresh;
  }

  async signOut(): Promise<void> {
    const refreshToken = this.deps.persistent.getItem(REFRESH_TOKEN_KEY);
    this.forget();
    if (!refreshToken) return;
    try {
      await this.deps.fetch('/oauth/revoke', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: refreshToken, client_id: CLIENT_ID }).toString(),
      });
    } catch {
      // Offline: the token is gone from this device, and it expires on the server anyway.
    }
  }

  private async exclusively<T>(task: () => Promise<T>): Promise<T> {
    if (!this.deps.locks) return task();
    return this.deps.locks.request('tonearm-token-refresh', task) as Promise<T>;
  }

  private async rotateRefreshToken(): Promise<string> {
    // Read inside the lock: another tab may have rotated it a moment ago.
    const refreshToken = this.deps.persistent.getItem(REFRESH_TOKEN_KEY);
    if (!refreshToken) {
      this.forget();
      throw new ApiError(401, 'signed_out', 'You are signed out. Please sign in.');
    }
    const tokens = await this.postToken({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT_ID });
    this.accept(tokens);
    return tokens.access_token;
  }

  private async postToken(form: Record<string, string>): Promise<TokenResponse> {
    let response: Response;
    try {
      response = await this.deps.fetch('/oauth/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
    } catch {
      throw networkError();
    }
    const body: unknown = await response.json().catch(() => null);
    if (response.ok && isTokenResponse(body)) return body;
    if (response.status === 400 || response.status === 401) {
      // invalid_grant: the session was signed out, expired or revoked; nothing to retry.
      this.forget();
      throw new ApiError(401, 'session_ended', 'Your session has ended. Please sign in again.');
    }
    throw new ApiError(response.status, 'token_endpoint', 'Signing in failed on the server. Try again in a moment.');
  }

  private accept(tokens: TokenResponse): void {
    this.deps.persistent.setItem(REFRESH_TOKEN_KEY, tokens.refresh_token);
    const expiresAt = this.deps.now() + tokens.expires_in * 1000;
    this.access = { token: tokens.access_token, expiresAt };
    if (this.refreshTimer !== null) this.deps.clearTimer(this.refreshTimer);
    const delay = Math.max(0, tokens.expires_in * 1000 - REFRESH_MARGIN_MS);
    this.refreshTimer = this.deps.setTimer(() => {
      this.refresh().catch(() => undefined);
    }, delay);
    this.status.set('signed-in');
  }

  private forget(): void {
    this.deps.persistent.removeItem(REFRESH_TOKEN_KEY);
    this.access = null;
    if (this.refreshTimer !== null) this.deps.clearTimer(this.refreshTimer);
    this.refreshTimer = null;
    this.status.set('signed-out');
  }
}
