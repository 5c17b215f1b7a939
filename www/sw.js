// Service worker: the app shell (page, JS, CSS, wasm, icons) comes from the cache first, so the
// paste-mode parser works with no network. DNS never touches the cache: DNS-over-HTTPS answers
// are live data, and a cached answer would be a wrong report.

const VERSION = 'sendercheck-v3';
const SHELL = [
  './', './index.html', './docs-example.html', './style.css', './render.css', './sender-check.css',
  './app.js', './api.js', './render.js', './trusted.js', './sender-check.js', './docs-example.js', './docs-example.css',
  './rules.json', './manifest.webmanifest', './icons/icon.svg', './icons/icon-192.png', './icons/icon-512.png', './icons/icon-maskable-512.png',
  './pkg/sendercheck.js', './pkg/sendercheck_bg.wasm',
];

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(VERSION);
    // One by one: a missing file (pkg/ before the wasm is built) must not abort the install.
    await Promise.all(SHELL.map((path) => cache.add(new Request(path, { cache: 'reload' })).catch(() => {})));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== VERSION) await caches.delete(key);
    await self.clients.claim();
  })());
});

/** A DNS query, by any of the shapes RFC 8484 allows: never cached. */
function isDns(request, url) {
  const accept = request.headers.get('accept') ?? '';
  const type = request.headers.get('content-type') ?? '';
  return url.pathname.endsWith('/dns-query') || url.pathname.endsWith('/resolve') || url.searchParams.has('dns')
    || accept.includes('application/dns-message') || accept.includes('application/dns-json')
    || type.includes('application/dns-message');
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  // Other origins (the DoH resolvers among them) and non-GET requests go straight to the network.
  if (request.method !== 'GET' || url.origin !== self.location.origin || isDns(request, url)) return;
  event.respondWith(cacheFirst(event, request));
});

async function cacheFirst(event, request) {
  const cache = await caches.open(VERSION);
  const navigate = request.mode === 'navigate';
  const cached = await cache.match(request, { ignoreSearch: navigate });
  const refresh = fetch(request).then((response) => {
    if (response.ok && response.type === 'basic') cache.put(navigate ? new URL(request.url).pathname : request, response.clone());
    return response;
  });
  if (cached) {
    // Serve the stored copy now and refresh it for next time.
    event.waitUntil(refresh.catch(() => {}));
    return cached;
  }
  return refresh;
}
