// Service worker of the self-contained (--vendor) build: after the first
// visit the whole site, Pyodide and numpy included, opens with no network.
// build.py fills in CACHE and FILES; the CDN build does not ship this file.
"use strict";
const CACHE = "emgmm-__VERSION__";
const FILES = __FILES__;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  // a new build has a new cache name: drop the old copies
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("emgmm-") && name !== CACHE)
            .map((name) => caches.delete(name))
        )
      )
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== location.origin) {
    return;
  }
  // links carry their settings in the query string: ?k=4&run=1 is index.html
  const ignoreSearch = request.mode === "navigate";
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(request, { ignoreSearch }))
      .then((hit) => hit || fetch(request))
  );
});
