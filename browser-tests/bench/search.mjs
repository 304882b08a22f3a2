// Measures a directory search in Chromium with the CPU slowed four times (a phone-class
// processor): the bytes each search transfers and the time from entering the query to the
// first result on the page. Not a test: it prints figures, for scripts/bench-search.sh.
//
//   node bench/search.mjs SITE [--pagefind] [--runs N] QUERY...
//
// SITE is a built site folder, served here on 127.0.0.1 without compression. For each
// query, in a fresh browser context (nothing cached), the directory page is opened and left
// to load (its scripts and the search's small `meta` file), then the whole query is put in
// the search box at once and the clock runs until the first result card is drawn (or the
// page says nothing matches). Bytes are those of every response from that moment on, as
// sent (uncompressed, headers included), with what gzip would make of the files beside.
// Then, on fresh pages again, the query is typed a letter at a time, 150 ms apart, as a
// person would: the bytes of the whole typing, and the time from the last letter to its
// first result.
//
// With --pagefind, the first figures are measured for a Pagefind bundle in SITE/pagefind/
// (made by scripts/pagefind-compare): its JavaScript API is loaded and initialised on the
// home page, then the clock runs from calling search() to the first result's data.

import { serveSite, launchBrowser } from '../lib/harness.mjs';
import zlib from 'node:zlib';
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const site = path.resolve(args.shift());
let pagefind = false;
let runs = 3;
const queries = [];
while (args.length) {
  const a = args.shift();
  if (a === '--pagefind') pagefind = true;
  else if (a === '--runs') runs = Number(args.shift());
  else queries.push(a);
}

const server = await serveSite(site);
const browser = await launchBrowser();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

/** A fresh page, CPU slowed 4×, recording every response's size from `mark()` on. */
async function slowPage() {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  // Requests of the page and of its workers (Pagefind fetches from a worker).
  let counting = false;
  const got = [];
  context.on('requestfinished', (request) => {
    if (!counting) return;
    got.push(request.sizes().then(
      (sizes) => ({ url: request.url(), bytes: sizes.responseBodySize + sizes.responseHeadersSize }),
      () => ({ url: request.url(), bytes: 0 })));
  });
  return {
    context,
    page,
    mark() { counting = true; got.length = 0; },
    async transferred() {
      const files = (await Promise.all(got)).filter((g) => g.url && g.url.startsWith(server.url));
      const bytes = files.reduce((n, g) => n + g.bytes, 0);
      // What the same files come to gzipped, as most hosts would send them.
      const gzip = files.reduce((n, g) => {
        const file = path.join(site, decodeURIComponent(new URL(g.url).pathname));
        return n + (fs.existsSync(file) && fs.statSync(file).isFile() ? zlib.gzipSync(fs.readFileSync(file)).length : 0);
      }, 0);
      return { bytes, gzip, requests: files.length };
    },
  };
}

async function ours(query) {
  const times = [];
  let transfer;
  let typed;
  for (let run = 0; run < runs; run++) {
    const p = await slowPage();
    try {
      await p.page.goto(`${server.url}/directory/`, { waitUntil: 'networkidle' });
      await p.page.waitForFunction(() => !document.getElementById('directory-search').hidden);
      p.mark();
      const ms = await p.page.evaluate((q) => new Promise((resolve) => {
        const input = document.getElementById('q');
        const t0 = performance.now();
        input.value = q;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        (function poll() {
          const shown = document.querySelector('#search-results:not([hidden]) .service-card');
          const none = /^No service/.test(document.getElementById('results-count').textContent);
          if (shown || none) resolve(performance.now() - t0);
          else requestAnimationFrame(poll);
        }());
      }), query);
      await p.page.waitForLoadState('networkidle');
      times.push(ms);
      transfer = await p.transferred();
      transfer.results = (await p.page.textContent('#results-count')).trim();
    } finally {
      await p.context.close();
    }
  }
  // Typing, a letter at a time: the bytes of the whole typing, and the time from the last
  // letter to its results (the files of the words are mostly in by then).
  const last = [];
  for (let run = 0; run < runs; run++) {
    const p = await slowPage();
    try {
      await p.page.goto(`${server.url}/directory/`, { waitUntil: 'networkidle' });
      p.mark();
      await p.page.locator('#q').pressSequentially(query.slice(0, -1), { delay: 150 });
      await p.page.waitForLoadState('networkidle');
      await p.page.waitForTimeout(300);
      last.push(await p.page.evaluate((q) => new Promise((resolve) => {
        const input = document.getElementById('q');
        const lists = [document.getElementById('results-list'), document.getElementById('results-partial')];
        const t0 = performance.now();
        const seen = new MutationObserver((changes) => {
          if (changes.some((c) => [...c.addedNodes].some((n) => n.classList && n.classList.contains('service-card')))) {
            seen.disconnect();
            resolve(performance.now() - t0);
          }
        });
        lists.forEach((l) => seen.observe(l, { childList: true }));
        input.value = q;
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }), query));
      await p.page.waitForLoadState('networkidle');
      typed = await p.transferred();
    } finally {
      await p.context.close();
    }
  }
  typed.last = last;
  return { times, transfer, typed };
}

async function withPagefind(query) {
  const times = [];
  let transfer;
  for (let run = 0; run < runs; run++) {
    const p = await slowPage();
    try {
      // A page of the site with nothing on it but Pagefind's API.
      await p.page.goto(`${server.url}/`, { waitUntil: 'networkidle' });
      await p.page.evaluate(async () => {
        window.pf = await import('/pagefind/pagefind.js');
        await window.pf.options({ baseUrl: '/' });
        await window.pf.init();
      });
      await p.page.waitForLoadState('networkidle');
      p.mark();
      const out = await p.page.evaluate(async (q) => {
        const t0 = performance.now();
        const search = await window.pf.search(q);
        const first = search.results.length ? await search.results[0].data() : null;
        return { ms: performance.now() - t0, count: search.results.length, first: first && first.meta.title };
      }, query);
      await p.page.waitForLoadState('networkidle');
      times.push(out.ms);
      transfer = await p.transferred();
      transfer.results = `${out.count} results, first: ${out.first}`;
    } finally {
      await p.context.close();
    }
  }
  return { times, transfer };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
try {
  for (const engine of pagefind ? ['scopemap', 'pagefind'] : ['scopemap']) {
    console.log(`\n${engine}: ${runs} runs per query, CPU slowed 4×`);
    console.log('| query | first result (ms, median) | every run (ms) | bytes for the search | gzipped | requests | typed a letter at a time: bytes | last letter to first result (ms, median) | what it found |');
    console.log('|---|---|---|---|---|---|---|---|---|');
    for (const q of queries) {
      const r = engine === 'scopemap' ? await ours(q) : await withPagefind(q);
      const every = r.times.map((t) => t.toFixed(0)).join(', ');
      const typed = r.typed ? kb(r.typed.bytes) : '-';
      const last = r.typed ? median(r.typed.last).toFixed(0) : '-';
      console.log(`| ${q} | ${median(r.times).toFixed(0)} | ${every} | ${kb(r.transfer.bytes)} | ${kb(r.transfer.gzip)} | ${r.transfer.requests} | ${typed} | ${last} | ${r.transfer.results} |`);
    }
  }
} finally {
  await browser.close();
  await server.close();
}
