// 警网融合 service worker (served as /grid/sw.js, scope /grid/): the grid worker's entry pages and the scripts and
// styles they need are kept on the phone, so after a first visit they open with no signal. Pages come from the
// network when there is one (and are kept fresh); assets from the phone, refreshed in the background. Nothing
// else is kept: the API, the officer's pages and every other record always go to the server, and the forms'
// own offline queue (grid.js, IndexedDB) sends what was typed once the network is back.
"use strict";

const CACHE = "pingan-grid-v3";
const PAGES = ["/grid/reports/new", "/grid/collections/new", "/grid/publicity/new", "/grid/patrols/new"];
const ASSETS = ["/static/pingan.css", "/static/pingan.js", "/static/grid.js", "/static/photos.js", "/static/img/emblem.svg",
                "/vendor/htmx.org/dist/htmx.min.js"];
// A patrol's own page (start, check in, end) is kept once opened.
const KEPT_PAGE = /^\/grid\/(reports\/new|collections\/new|publicity\/new|patrols\/new|patrols\/\d+)$/;

// A phone's signal drops now and then: a fetch that fails or gets a server error is tried again, up to three
// times, before the install gives up (and is tried again at the next page the worker opens).
async function fetchTried(url) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const answer = await fetch(url, { credentials: "same-origin", redirect: "follow" });
      if (answer.status < 500 || attempt === 3) return answer;
    } catch (err) {
      if (attempt === 3) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
  }
}

async function keepAsset(cache, url) {
  const answer = await fetchTried(url);
  if (!answer.ok) throw new Error(`${url}: ${answer.status}`);
  await cache.put(url, answer);
}

async function keepPage(cache, url) {
  const answer = await fetchTried(url);
  // A page answered by the log-in page (signed out) is not a page to keep.
  if (answer.ok && !answer.redirected) await cache.put(url, answer);
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await Promise.all(ASSETS.map((url) => keepAsset(cache, url)));
    await Promise.all(PAGES.map((url) => keepPage(cache, url).catch(() => undefined)));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// A page is kept under its path and query (a patrol's finding form is not the plain report form); with no signal
// a page not kept with its query opens as its plain form.
async function page(request) {
  const cache = await caches.open(CACHE);
  const url = new URL(request.url);
  try {
    const answer = await fetch(request);
    if (answer.ok && !answer.redirected) await cache.put(url.pathname + url.search, answer.clone());
    return answer;
  } catch (err) {
    const kept = (await cache.match(url.pathname + url.search)) || (await cache.match(url.pathname));
    if (kept) return kept;
    throw err;
  }
}

async function asset(request, event) {
  const cache = await caches.open(CACHE);
  const path = new URL(request.url).pathname;
  const kept = await cache.match(path);
  const fresh = fetch(request).then(async (answer) => {
    if (answer.ok) await cache.put(path, answer.clone());
    return answer;
  });
  if (kept) {
    event.waitUntil(fresh.catch(() => undefined));
    return kept;
  }
  return fresh;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && KEPT_PAGE.test(url.pathname)) {
    event.respondWith(page(request));
  } else if (ASSETS.includes(url.pathname)) {
    event.respondWith(asset(request, event));
  }
});
