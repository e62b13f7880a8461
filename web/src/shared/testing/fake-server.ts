/** A request as the fake server saw it. */
export interface SeenRequest {
  method: string;
  /** Without the query. */
  path: string;
  query: URLSearchParams;
  headers: Headers;
  /** The JSON body, parsed; `undefined` without one. */
  body: unknown;
}

/** A promise keeps the request waiting, as a slow server would, until it settles. */
type Answer = (request: SeenRequest) => Response | Promise<Response>;

/**
 * The Tonearm server for a component test: `fetch` answers from the routes the test set
 * up, and every request is kept so the test can check what was sent. A request nobody set
 * up answers `404`, as the real server would for something that is not there.
 */
export class FakeServer {
  readonly requests: SeenRequest[] = [];
  private readonly routes = new Map<string, Answer>();

  /** Answers `method path` (the query left out) from now on, replacing an earlier answer. */
  on(method: string, path: string, answer: Answer): this {
    this.routes.set(`${method} ${path}`, answer);
    return this;
  }

  /** The requests made with `method` to `path`. */
  sent(method: string, path: string): SeenRequest[] {
    return this.requests.filter((request) => request.method === method && request.path === path);
  }

  readonly fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input), 'http://tonearm.test');
    const text = typeof init.body === 'string' ? init.body : undefined;
    const request: SeenRequest = {
      method: init.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: new Headers(init.headers),
      body: text === undefined ? undefined : JSON.parse(text),
    };
    this.requests.push(request);
    const answer = this.routes.get(`${request.method} ${request.path}`);
    return answer ? answer(request) : json({ error: { code: 'not_found', message: 'Not found' } }, { status: 404 });
  };
}

/** A JSON response, with an `ETag` when given one. */
export function json(body: unknown, options: { status?: number; etag?: string } = {}): Response {
  const headers = new Headers({ 'content-type': 'application/json' });
  if (options.etag) headers.set('etag', options.etag);
  return new Response(JSON.stringify(body), { status: options.status ?? 200, headers });
}

/** `204 No Content`, as the server answers a like or a delete. */
export function noContent(): Response {
  return new Response(null, { status: 204 });
}
