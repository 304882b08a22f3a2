// The directory search as people use it, in Chromium on the shipped site: a table of
// queries people type with the services each must find, what is announced, what a shared
// search address shows first, what a search downloads, and every service reachable without
// JavaScript through the lists by area and by type.
//
// The expected services come from the data and from the server-rendered lists, never from
// the search index: "every health-visiting service" is every service on the Health Visiting
// list, "Knowsley's services" every service on Knowsley's list.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setup, open, siteDir, WIDTHS } from '../lib/harness.mjs';

const directory = JSON.parse(fs.readFileSync(path.join(siteDir, 'data', 'directory.json'), 'utf8'));
const listedIds = directory.services.filter((s) => s.status !== 'decommissioned').map((s) => s.id).sort();

let env;
const pageErrors = [];
before(async () => { env = await setup(); });
after(async () => { await env?.teardown(); });

async function newPage(options = {}) {
  const context = await env.newContext({ viewport: WIDTHS[0].viewport, ...options });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  return { context, page };
}

/** Service ids linked from cards matching `selector`, in page order. */
function cardIds(page, selector) {
  return page.$$eval(`${selector} .service-card .card-title a`, (links) =>
    links.map((a) => new URL(a.href).pathname.replace(/^.*\/directory\/([^/]+)\/index\.html$/, '$1')));
}

/** Every service on a server-rendered list and its further pages, without JavaScript. */
async function listedOn(page, listPath) {
  const found = [];
  const queue = [listPath];
  const seen = new Set();
  while (queue.length) {
    const p = queue.shift();
    if (seen.has(p)) continue;
    seen.add(p);
    await open(page, env.server.url, p);
    found.push(...await cardIds(page, 'main'));
    for (const href of await page.$$eval('nav.pagination a', (as) => as.map((a) => new URL(a.href).pathname))) {
      queue.push(href);
    }
  }
  return [...new Set(found)];
}

/** The results of a search opened from its address: ids matching all words, then the rest. */
async function search(page, query) {
  await open(page, env.server.url, `/directory/?q=${encodeURIComponent(query)}`);
  await page.waitForFunction(() => !document.documentElement.classList.contains('search-pending')
    && document.getElementById('results-count').textContent.trim() !== '');
  return {
    all: await cardIds(page, '#results-list'),
    some: await cardIds(page, '#results-partial'),
    count: (await page.textContent('#results-count')).trim(),
  };
}

// ---------------------------------------------------------------- the query set

let healthVisiting;
let knowsley;
/** The lists the query set expects, read once, without JavaScript. */
async function readLists() {
  if (healthVisiting) return;
  const { context, page } = await newPage({ javaScriptEnabled: false });
  try {
    healthVisiting = await listedOn(page, '/directory/type/health-visiting/');
    knowsley = await listedOn(page, '/directory/in/knowsley/');
  } finally {
    await context.close();
  }
}

/**
 * Each query with what it must find: `all` must be among the services matching all its
 * words (or, for one word, the services it matches), `first` must be the first result,
 * `found` must be found at all, and `none` must not be found.
 */
const QUERIES = [
  { q: 'perinatal', why: 'a word of the mother and baby unit\'s type of service',
    all: ['ribblemere-mother-and-baby-unit', 'cm-specialist-community-perinatal-mh-service', 'lsc-specialist-perinatal-community-teams'] },
  { q: 'health visitor', why: 'the people, for the service: every health-visiting service',
    all: () => [...healthVisiting, 'blackpool-baby-steps'] },
  { q: 'health visiting', all: () => healthVisiting },
  { q: 'postnatal depression', why: 'a synonym of perinatal mental health; Next Steps supports new mothers with depression',
    all: ['cm-specialist-community-perinatal-mh-service', 'lsc-specialist-perinatal-community-teams'],
    found: ['next-steps-group-cheshire'] },
  { q: 'PND', found: ['next-steps-group-cheshire', 'knowsley-antenatal-postnatal-programmes'] },
  { q: 'Huyton', why: 'a town Knowsley covers: every service on Knowsley\'s list',
    all: () => knowsley, none: ['ribblemere-mother-and-baby-unit'] },
  { q: 'Southport', all: ['babs-mersey-care'] },
  { q: 'BABS', first: 'babs-mersey-care' },
  { q: 'babs', first: 'babs-mersey-care' },
  { q: 'perinatl', why: 'a typo', all: ['ribblemere-mother-and-baby-unit', 'cm-specialist-community-perinatal-mh-service'] },
  { q: 'MBU', first: 'ribblemere-mother-and-baby-unit' },
  { q: 'mother and baby unit', first: 'ribblemere-mother-and-baby-unit' },
  { q: 'talking therapies', why: 'a synonym of IAPT, a type of service',
    all: ['wirral-cypmhs-0-5-pathway'] },
  { q: 'Mersey Care', why: 'a provider: its two services first',
    top: ['babs-mersey-care', 'cm-specialist-community-perinatal-mh-service'] },
  { q: 'Video Interaction Guidance', why: 'an intervention', all: ['ribblemere-mother-and-baby-unit'] },
  { q: 'Huyton BABS', why: 'any word: the service matching both first, then Knowsley\'s others',
    first: 'babs-mersey-care', found: ['knowsley-cypmhs', 'knowsley-universal-integrated-pathway'] },
  { q: 'xylophone', none: listedIds },
  { q: 'the', why: 'only a word the search ignores', none: listedIds },
];

for (const entry of QUERIES) {
  test(`search: "${entry.q}"${entry.why ? ` (${entry.why})` : ''} finds what people expect`, async () => {
    await readLists();
    const { context, page } = await newPage();
    try {
      const r = await search(page, entry.q);
      const shown = [...r.all, ...r.some];
      const where = `/directory/?q=${entry.q} (all words: ${r.all.join(', ')}; some: ${r.some.join(', ')})`;
      const all = typeof entry.all === 'function' ? entry.all() : entry.all;
      if (all) {
        assert.ok(all.length > 0, `"${entry.q}": nothing expected`);
        const missing = all.filter((id) => !r.all.includes(id));
        assert.deepEqual(missing, [], `${where}: not among the services matching all words`);
      }
      if (entry.first) assert.equal(shown[0], entry.first, `${where}: the first result`);
      if (entry.top) assert.deepEqual(shown.slice(0, entry.top.length).sort(), [...entry.top].sort(), `${where}: the first results`);
      for (const id of entry.found || []) assert.ok(shown.includes(id), `${where}: ${id} is not found`);
      for (const id of entry.none || []) assert.ok(!shown.includes(id), `${where}: ${id} is found`);
      if (entry.none === listedIds) {
        assert.match(r.count, /^No services match/, `${where}: the count says "${r.count}"`);
      } else {
        assert.match(r.count, /^\d+ services? match|^No service matches your search, and \d+/, `${where}: the count says "${r.count}"`);
      }
    } finally {
      await context.close();
    }
  });
}

test('search: services matching all the words come before those matching some, with headings saying which', async () => {
  const { context, page } = await newPage();
  try {
    const r = await search(page, 'health visitor');
    assert.ok(r.all.length > 0 && r.some.length > 0, `all: ${r.all}; some: ${r.some}`);
    assert.equal((await page.textContent('#results-heading')).trim(), 'Services matching all your words');
    assert.equal((await page.textContent('#partial-heading')).trim(), 'Services matching some of your words');
    const [, all, some] = r.count.match(/^(\d+) services match all your words, and (\d+) services match some of them\.$/) || [];
    assert.ok(all && some, `the count says "${r.count}"`);
    assert.equal(Number(all), r.all.length, 'every service matching all words is on the first page');
    assert.equal(r.all.length + r.some.length, Math.min(20, Number(all) + Number(some)));
    // Each list is in the order of the page: all-words first.
    const order = await cardIds(page, '#search-results');
    assert.deepEqual(order, [...r.all, ...r.some]);
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------- announcing and sharing

test('search: a polite status announces only the count; the results list is not a live region', async () => {
  const { context, page } = await newPage();
  try {
    await open(page, env.server.url, '/directory/');
    const live = await page.$$eval('[aria-live], [role="status"], [role="log"], [role="alert"]', (els) =>
      els.map((e) => ({ id: e.id, role: e.getAttribute('role'), live: e.getAttribute('aria-live'), cards: e.querySelectorAll('.service-card').length })));
    assert.deepEqual(live, [{ id: 'results-count', role: 'status', live: null, cards: 0 }],
      '/directory/: the only live region should be the results count');
    await page.fill('#q', 'perinatal');
    await page.waitForSelector('#results-list .service-card');
    const status = (await page.textContent('#results-count')).trim();
    const shown = (await cardIds(page, '#search-results')).length;
    assert.equal(status, `${shown} services match.`);
    assert.equal(await page.$$eval('#results-count *', (els) => els.length), 0, 'the status holds text only');
  } finally {
    await context.close();
  }
});

test('search: a shared ?q= address never shows the full list, even before the script has run', async () => {
  const { context, page } = await newPage();
  try {
    // Hold the search script back, as a slow phone network would.
    let release;
    const held = new Promise((r) => { release = r; });
    await page.route('**/assets/directory.js', async (route) => { await held; await route.continue(); });
    const shownEarly = [];
    await page.exposeFunction('noteFullList', (v) => shownEarly.push(v));
    await page.addInitScript(() => {
      const look = () => {
        const list = document.getElementById('full-list');
        if (list && list.getBoundingClientRect().height > 0) window.noteFullList(true);
        if (!window.__stopLooking) requestAnimationFrame(look);
      };
      requestAnimationFrame(look);
    });
    // The parser stops at the held script, at the end of the page: all above it is drawn.
    await page.goto(`${env.server.url}/directory/?q=perinatal`, { waitUntil: 'commit' });
    await page.waitForSelector('script[src$="assets/directory.js"]', { state: 'attached' });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    assert.equal(await page.$eval('#full-list', (e) => getComputedStyle(e).display), 'none',
      '/directory/?q=perinatal: the full list is drawn while the search script loads');
    assert.ok(await page.isVisible('#directory-search'), 'the search form is drawn at once');
    release();
    await page.waitForSelector('#results-list .service-card');
    await page.evaluate(() => { window.__stopLooking = true; });
    assert.deepEqual(shownEarly, [], '/directory/?q=perinatal: the full list was drawn at some moment');
    assert.equal(await page.inputValue('#q'), 'perinatal');
  } finally {
    await context.close();
  }
});

test('search: filters wait behind a closed "Filter" disclosure and the first result is on the first screen of a phone', async () => {
  const { context, page } = await newPage({ viewport: WIDTHS[1].viewport });
  try {
    await open(page, env.server.url, '/directory/?q=perinatal&area=sefton');
    await page.waitForSelector('#results-list .service-card');
    const details = page.locator('#directory-search details.filters');
    assert.equal(await details.evaluate((d) => d.open), false, 'the filters are open');
    assert.match((await details.locator('summary').textContent()).replace(/\s+/g, ' ').trim(), /^Filter \(1 applied\)$/);
    assert.ok(await page.isHidden('#f-area'), 'the area filter shows while the disclosure is closed');
    const top = await page.$eval('#results-list .service-card', (e) => e.getBoundingClientRect().top + window.scrollY);
    assert.ok(top < 844, `the first result starts ${top}px down the page, below the first screen`);
    await details.locator('summary').click();
    assert.ok(await page.isVisible('#f-area'));
    assert.equal(await page.inputValue('#f-area'), 'sefton');
  } finally {
    await context.close();
  }
});

test('search: a search fetches only small files of the index, never the bulk data', async () => {
  const { context, page } = await newPage();
  try {
    const fetched = [];
    page.on('requestfinished', async (req) => {
      const path = new URL(req.url()).pathname;
      // The browser asks for the page's icon on its own time, not the search's.
      if (path === '/favicon.svg') return;
      const size = (await req.sizes()).responseBodySize;
      fetched.push({ path, size });
    });
    await open(page, env.server.url, '/directory/');
    await page.waitForLoadState('networkidle');
    fetched.length = 0;
    await page.fill('#q', 'health visitor');
    await page.waitForSelector('#results-list .service-card');
    await page.waitForLoadState('networkidle');
    assert.ok(fetched.length > 0, 'the search fetched nothing');
    for (const f of fetched) {
      assert.match(f.path, /^\/directory\/search\/(t|d|f)\/[^/]+(\/[^/]+)?\.js$/, `the search fetched ${f.path}`);
    }
    const total = fetched.reduce((n, f) => n + f.size, 0);
    assert.ok(total < 300 * 1024, `the search fetched ${total} bytes`);
  } finally {
    await context.close();
  }
});

test('search: "Show more services" adds the next results and moves focus to the first of them', async () => {
  const { context, page } = await newPage();
  try {
    const r = await search(page, 'health visitor');
    const total = Number(r.count.match(/^(\d+)/)[1]) + Number((r.count.match(/and (\d+)/) || [0, 0])[1]);
    assert.ok(total > 20, `only ${total} results: the query cannot show a second page`);
    assert.equal(r.all.length + r.some.length, 20, 'the first page shows 20 results');
    await page.click('#more-results');
    const expected = Math.min(total, 40);
    await page.waitForFunction((n) => document.querySelectorAll('#search-results .service-card').length === n
      && document.activeElement.closest('.service-card'), expected);
    const after = await cardIds(page, '#search-results');
    assert.equal(new Set(after).size, expected, 'a result is shown twice');
    const focused = await page.evaluate(() =>
      [...document.querySelectorAll('#search-results .service-card')].indexOf(document.activeElement.closest('.service-card')));
    assert.equal(focused, 20, 'focus is not on the first new result');
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------- without JavaScript

test('without JavaScript: every listed service is reachable from the directory through the lists by area and by type and their pages', async () => {
  const { context, page } = await newPage({ javaScriptEnabled: false });
  try {
    await open(page, env.server.url, '/directory/');
    const lists = await page.$$eval('main a', (as) => as.map((a) => new URL(a.href).pathname)
      .filter((p) => /^\/directory\/(in|type)\/[^/]+\/index\.html$/.test(p)));
    assert.ok(lists.some((l) => l.startsWith('/directory/in/')), 'no list by area is linked');
    assert.ok(lists.some((l) => l.startsWith('/directory/type/')), 'no list by type is linked');
    const reached = new Set();
    for (const list of new Set(lists)) {
      for (const id of await listedOn(page, list)) reached.add(id);
    }
    const missing = listedIds.filter((id) => !reached.has(id));
    assert.deepEqual(missing, [], `without JavaScript, no list links ${missing.join(', ')}`);
  } finally {
    await context.close();
  }
});

test('no script errors and no requests off the local server', () => {
  assert.deepEqual(pageErrors, [], `script errors:\n${pageErrors.join('\n')}`);
  assert.deepEqual(env.offsite, [], `requests to other hosts:\n${env.offsite.join('\n')}`);
});
