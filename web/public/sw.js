// @ts-check
/// <reference lib="webworker" />
// The app shell's service worker: the app opens offline and starts fast. It caches only the
// app itself (index.html, hashed bundles, icons, manifest), never the API, sign-in or audio,
// which always go to the network (and must not be kept on a shared device).
const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));
const CACHE = 'tonearm-shell-v1';
const NEVER_CACHED = ['/api/', '/oauth/', '/.well-known/', '/healthz', '/readyz'];

/** The hashed bundles an index.html refers to. */
function assetsOf(html) {
  return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]);
}

/** Stores index.html and its bundles, and drops bundles no index refers to any more. */
async function cacheShell(indexResponse) {
  const cache = await caches.open(CACHE);
  const html = await indexResponse.clone().text();
  const assets = assetsOf(html);
  await cache.put('/index.html', indexResponse);
  await Promise.all(assets.map(async (asset) => (await cache.match(asset)) ?? cache.add(asset)));
  const wanted = new Set(assets);
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (path.startsWith('/assets/') && !wanted.has(path)) await cache.delete(request);
  }
}

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const index = await fetch('/', { cache: 'no-cache' });
      if (index.ok) await cacheShell(index);
      const cache = await caches.open(CACHE);
      await cache.addAll(['/manifest.webmanifest', '/icons/icon-192.png', '/icons/icon-512.png']);
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== location.origin) return;
  if (NEVER_CACHED.some((prefix) => url.pathname.startsWith(prefix))) return;
  if (request.mode === 'navigate') {
    // Network first, so a new release is picked up at once; the cached shell when offline.
    event.respondWith(
      (async () => {
        try {
          const response = await fetch(request);
          if (response.ok && (response.headers.get('content-type') ?? '').startsWith('text/html')) {
            event.waitUntil(cacheShell(response.clone()));
          }
          return response;
        } catch {
          return (await caches.match('/index.html')) ?? Response.error();
        }
      })(),
    );
    return;
  }
  if (url.pathname.startsWith('/assets/') || url.pathname.startsWith('/icons/') || url.pathname === '/manifest.webmanifest') {
    // Hashed bundles never change under a name; icons rarely do.
    event.respondWith(
      (async () => (await caches.match(request)) ?? fetch(request))(),
    );
  }
});
