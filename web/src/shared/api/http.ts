import { errorFromResponse, networkError } from './errors';
import { DEFAULT_RETRY_POLICY, IDEMPOTENT_METHODS, backoffDelay, isRetryableStatus, retryAfterMs, type RetryPolicy } from './retry';

/** Where bearer tokens come from (the signed-in session). */
export interface TokenSource {
  accessToken(): Promise<string>;
  renewAfterRejection(rejected: string): Promise<string>;
}

export interface HttpDependencies {
  fetch: typeof fetch;
  tokens: TokenSource;
  policy?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
  /** Told whether the server answered at all: drives the offline banner. */
  onReachability?: (reachable: boolean) => void;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  /** The version an edit is based on (RFC 9110 §13.1.1): a `412` when it changed meanwhile. */
  ifMatch?: string;
  signal?: AbortSignal;
  /** Public resources (covers) need no token. */
  authenticated?: boolean;
  /** Lets the request outlive the page (a last batch sent as the tab closes). */
  keepalive?: boolean;
}

/** A response body with the validator of what it describes (`ETag`). */
export interface Tagged<T> {
  value: T;
  etag: string | null;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * JSON over HTTP with the policies every call needs: the bearer token, one transparent
 * renewal on `401`, and retries with exponential back-off and jitter for idempotent requests
 * that failed on the network or with a transient status.
 */
export class HttpClient {
  private readonly policy: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(private readonly deps: HttpDependencies) {
    this.policy = deps.policy ?? DEFAULT_RETRY_POLICY;
    this.sleep = deps.sleep ?? defaultSleep;
    this.random = deps.random ?? Math.random;
    this.now = deps.now ?? Date.now;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    return (await this.requestTagged<T>(method, path, options)).value;
  }

  /** Like `request`, with the response's `ETag` for a later `If-Match`. */
  async requestTagged<T>(method: string, path: string, options: RequestOptions = {}): Promise<Tagged<T>> {
    const response = await this.send(method, path, options);
    const etag = response.headers.get('etag');
    if (response.status === 204) return { value: undefined as T, etag };
    return { value: (await response.json()) as T, etag };
  }

  /**
   * A `GET` of a text resource through the server's redirects (the browser follows them),
   * with where it ended up: for entry points that redirect to a public, content-addressed
   * resource. The body is read whole, so nobody has to fetch it a second time (and the
   * browser may keep it in its cache).
   */
  async getRedirectedText(path: string, options: Pick<RequestOptions, 'query' | 'signal'> = {}): Promise<{ url: string; text: string }> {
    const response = await this.send('GET', path, options);
    return { url: response.url, text: await response.text() };
  }

  /** Sends with the token, renewal and retries; resolves with a successful response, else throws an `ApiError`. */
  private async send(method: string, path: string, options: RequestOptions): Promise<Response> {
    const authenticated = options.authenticated ?? true;
    const idempotent = IDEMPOTENT_METHODS.has(method);
    let token = authenticated ? await this.deps.tokens.accessToken() : undefined;
    let renewed = false;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.deps.fetch(withQuery(path, options.query), {
          method,
          headers: headersFor(token, options),
          ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.keepalive ? { keepalive: true } : {}),
        });
      } catch (error) {
        if (isAbort(error)) throw error;
        this.deps.onReachability?.(false);
        if (!idempotent || attempt >= this.policy.retries) throw networkError();
        await this.sleep(backoffDelay(this.policy, attempt, this.random));
        continue;
      }
      this.deps.onReachability?.(true);
      if (response.status === 401 && token && !renewed) {
        // The token expired early or the server rotated keys: renew once, then repeat.
        renewed = true;
        token = await this.deps.tokens.renewAfterRejection(token);
        attempt--;
        continue;
      }
      if (isRetryableStatus(response.status) && idempotent && attempt < this.policy.retries) {
        const hinted = retryAfterMs(response.headers.get('retry-after'), this.now());
        await this.sleep(Math.min(hinted ?? backoffDelay(this.policy, attempt, this.random), this.policy.maxDelayMs * 4));
        continue;
      }
      if (!response.ok) throw await errorFromResponse(response);
      return response;
    }
  }
}

function headersFor(token: string | undefined, options: RequestOptions): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch) headers['if-match'] = options.ifMatch;
  return headers;
}

function withQuery(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const pairs = Object.entries(query).filter((pair): pair is [string, string | number] => pair[1] !== undefined);
  if (pairs.length === 0) return path;
  return `${path}?${new URLSearchParams(pairs.map(([key, value]) => [key, String(value)])).toString()}`;
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

