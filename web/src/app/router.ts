import { Observable } from '../shared/observable';

/** The app's pages, parsed from the address bar. */
export type Route =
  | { page: 'home' }
  | { page: 'search' }
  | { page: 'library' }
  | { page: 'liked' }
  | { page: 'settings' }
  | { page: 'album'; id: number }
  | { page: 'artist'; id: number }
  | { page: 'genre'; id: number }
  | { page: 'playlist'; id: number }
  | { page: 'mix'; id: string }
  | { page: 'callback' }
  | { page: 'not-found' };

const FIXED: Record<string, Route> = {
  '/': { page: 'home' },
  '': { page: 'home' },
  '/search': { page: 'search' },
  '/library': { page: 'library' },
  '/liked': { page: 'liked' },
  '/settings': { page: 'settings' },
  '/app/callback': { page: 'callback' },
};

export function parseRoute(pathname: string): Route {
  const fixed = FIXED[pathname];
  if (fixed) return fixed;
  const match = /^\/(album|artist|genre|playlist)\/(\d+)$/.exec(pathname);
  if (match?.[1] && match[2]) {
    const page = match[1] as 'album' | 'artist' | 'genre' | 'playlist';
    return { page, id: Number(match[2]) };
  }
  // Mix ids are names the server makes (`mix-1`, `popular`), not numbers.
  const mix = /^\/mix\/([A-Za-z0-9_-]+)$/.exec(pathname);
  if (mix?.[1]) return { page: 'mix', id: mix[1] };
  return { page: 'not-found' };
}

/** History-API routing: links are real `<a href>`s, intercepted for same-origin navigation. */
export class Router {
  readonly route = new Observable<Route>(parseRoute(location.pathname));
  /** Pages pushed by this app in this tab: whether "back" stays inside the app. */
  private depth = 0;

  constructor() {
    addEventListener('popstate', this.followHistory);
    document.addEventListener('click', this.interceptLink);
  }

  /** Stops following the address bar and links: a test's router, once the test is over. */
  stop(): void {
    removeEventListener('popstate', this.followHistory);
    document.removeEventListener('click', this.interceptLink);
  }

  navigate(path: string, options: { replace?: boolean } = {}): void {
    if (options.replace) history.replaceState(null, '', path);
    else {
      history.pushState(null, '', path);
      this.depth += 1;
    }
    this.route.set(parseRoute(location.pathname));
    scrollTo(0, 0);
  }

  get canGoBack(): boolean {
    return this.depth > 0;
  }

  private readonly followHistory = (): void => {
    this.depth = Math.max(0, this.depth - 1);
    this.route.set(parseRoute(location.pathname));
  };

  private readonly interceptLink = (event: MouseEvent): void => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element | null)?.closest?.('a');
    if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
    const url = new URL(anchor.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/oauth/')) return;
    event.preventDefault();
    this.navigate(url.pathname + url.search);
  };
}
