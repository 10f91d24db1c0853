// Service worker of the self-contained (--vendor) build: after the first
// visit the whole site, Pyodide and numpy included, opens with no network.
// build.py fills in CACHE and FILES (each file's address and sha256); the CDN
// build does not ship this file.
//
// A redeploy arrives whole or not at all: the install asks the server for
// every file (a host's HTTP cache, such as GitHub Pages' ten minutes, could
// otherwise hand over the previous deploy's copy), checks each against the
// build's hash, and fails if one differs, so the previous version stays in
// use until the next visit tries again.
"use strict";
const CACHE = "emgmm-__VERSION__";
const FILES = __FILES__;

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

// The file as the build wrote it, or null. "no-cache" revalidates (an
// unchanged file costs a 304, not a download); a copy that still differs
// is fetched once more past every cache ("reload").
async function fetchChecked(url, sha256) {
  for (const mode of ["no-cache", "reload"]) {
    const response = await fetch(url, { cache: mode });
    if (!response.ok) continue;
    const digest = await crypto.subtle.digest("SHA-256", await response.clone().arrayBuffer());
    if (hex(digest) === sha256) return response;
  }
  return null;
}

async function install() {
  const cache = await caches.open(CACHE);
  const checked = await Promise.all(
    FILES.map(async ([url, sha256]) => [url, await fetchChecked(url, sha256)])
  );
  const wrong = checked.filter(([, response]) => response === null).map(([url]) => url);
  if (wrong.length) {
    await caches.delete(CACHE);
    throw new Error(
      "The new version is not complete on the server yet (" + wrong.join(", ") +
        " differ from the build); keeping the current one."
    );
  }
  await Promise.all(checked.map(([url, response]) => cache.put(url, response)));
}

self.addEventListener("install", (event) => {
  event.waitUntil(install().then(() => self.skipWaiting()));
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
