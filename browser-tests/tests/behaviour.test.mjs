// How the site behaves for a person in a real browser: keyboard-only use with a visible
// focus indicator, the directory's search and filters and their address, the site without
// JavaScript, and the printed matrix.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setup, open, siteDir, WIDTHS } from '../lib/harness.mjs';

// The bulk export, not the search index: what the search should find comes from the data.
const directory = JSON.parse(fs.readFileSync(path.join(siteDir, 'data', 'directory.json'), 'utf8'));
const listedIds = directory.services.filter((s) => s.status !== 'decommissioned').map((s) => s.id);

let env;
const pageErrors = [];
before(async () => { env = await setup(); });
after(async () => { await env?.teardown(); });

/** A page in a fresh context whose script errors are collected. */
async function newPage(options = {}) {
  const context = await env.newContext({ viewport: WIDTHS[0].viewport, ...options });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
  return { context, page };
}

/** Service ids of the cards in a list, from their links. */
function idsIn(page, selector) {
  return page.$$eval(`${selector} .service-card .card-title a`, (links) =>
    links.map((a) => new URL(a.href).pathname.replace(/^.*\/directory\/([^/]+)\/index\.html$/, '$1')));
}

// ---------------------------------------------------------------- keyboard

/**
 * Marks every element that Tab should reach, in DOM order, and records how each looks
 * unfocused. Scroll containers with nothing focusable inside are stops too: Chromium makes
 * them keyboard-focusable so their content can be scrolled.
 */
function markTabStops() {
  const selector = 'a[href], area[href], button, input, select, textarea, summary, iframe, [tabindex], [contenteditable]:not([contenteditable="false"])';
  const focusable = (el) => {
    if (el.disabled || (el.tagName === 'INPUT' && el.type === 'hidden')) return false;
    if (el.getAttribute('tabindex') !== null && el.tabIndex < 0) return false;
    if (el.closest('[inert]')) return false;
    return el.checkVisibility({ checkVisibilityCSS: true });
  };
  const stops = [...document.querySelectorAll(selector)].filter(focusable);
  const scrollers = [...document.querySelectorAll('body *')].filter((el) => {
    const cs = getComputedStyle(el);
    const scrolls = (/(auto|scroll)/.test(cs.overflowX) && el.scrollWidth > el.clientWidth)
      || (/(auto|scroll)/.test(cs.overflowY) && el.scrollHeight > el.clientHeight);
    return scrolls && !stops.some((s) => el.contains(s)) && el.checkVisibility({ checkVisibilityCSS: true });
  });
  const all = [...stops, ...scrollers].sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  const look = (el) => {
    const cs = getComputedStyle(el);
    return { outline: `${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}`, outlineStyle: cs.outlineStyle, outlineWidth: cs.outlineWidth, boxShadow: cs.boxShadow };
  };
  const describe = (el) => {
    const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').replace(/\s+/g, ' ').trim().slice(0, 60);
    const id = el.id ? `#${el.id}` : '';
    const cls = el.classList.length ? `.${[...el.classList].join('.')}` : '';
    const href = el.getAttribute('href') ? `[href="${el.getAttribute('href')}"]` : '';
    return `<${el.tagName.toLowerCase()}${id}${cls}${href}> "${text}"`;
  };
  window.__tabStops = all;
  window.__tabLook = look;
  window.__tabDescribe = describe;
  return all.map((el) => ({ name: describe(el), unfocused: look(el) }));
}

/** What has focus now: its place among the marked stops, how it looks and where it is. */
function focusedNow() {
  const el = document.activeElement;
  const r = el.getBoundingClientRect();
  return {
    index: window.__tabStops.indexOf(el),
    name: el === document.body ? '<body>' : window.__tabDescribe(el),
    look: window.__tabLook(el),
    onScreen: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight,
  };
}

function indicatorDiffers(unfocused, focused) {
  const outlineShown = focused.outlineStyle !== 'none' && parseFloat(focused.outlineWidth) > 0;
  return (outlineShown && focused.outline !== unfocused.outline) || focused.boxShadow !== unfocused.boxShadow;
}

for (const width of WIDTHS) {
  for (const start of [{ name: 'home', path: '/' }, { name: 'directory', path: '/directory/' }]) {
    test(`keyboard: Tab from the top of ${start.name} at ${width.name} reaches the skip link, then every control in DOM order with a visible focus indicator`, async (t) => {
      const { context, page } = await newPage({ viewport: width.viewport });
      try {
        await open(page, env.server.url, start.path);
        const stops = await page.evaluate(markTabStops);
        assert.ok(stops.length > 5, `${start.path}: only ${stops.length} focusable elements found`);
        assert.match(stops[0].name, /skip-link/, `${start.path}: the first focusable element is ${stops[0].name}, not the skip link`);
        const problems = [];
        for (let i = 0; i < stops.length; i++) {
          await page.keyboard.press('Tab');
          const now = await page.evaluate(focusedNow);
          if (now.index !== i) {
            problems.push(`Tab ${i + 1}: focus went to ${now.name} (stop ${now.index}), expected ${stops[i].name}`);
            break;
          }
          if (!indicatorDiffers(stops[i].unfocused, now.look)) {
            problems.push(`Tab ${i + 1}: ${stops[i].name} shows no focus indicator (outline ${now.look.outline}, box-shadow ${now.look.boxShadow})`);
          }
          if (!now.onScreen) {
            problems.push(`Tab ${i + 1}: ${stops[i].name} has focus but is not on screen`);
          }
        }
        t.diagnostic(`${start.path} (${width.name}): ${stops.length} tab stops checked`);
        assert.deepEqual(problems, [], `${start.path} (${width.name}) keyboard problems:\n${problems.join('\n')}`);
      } finally {
        await context.close();
      }
    });
  }
}

test('keyboard: the skip link moves focus to the main content', async () => {
  const { context, page } = await newPage();
  try {
    await open(page, env.server.url, '/directory/');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
    await page.keyboard.press('Enter');
    assert.equal(new URL(page.url()).hash, '#main', '/directory/: Enter on the skip link did not go to #main');
    await page.keyboard.press('Tab');
    const inMain = await page.evaluate(() => document.getElementById('main').contains(document.activeElement));
    assert.ok(inMain, '/directory/: after the skip link, Tab did not move into <main id="main">');
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------- directory search

test('directory: searching for "BABS" shows Building Attachment and Bonds Service first, serving Knowsley and Sefton', async () => {
  const { context, page } = await newPage();
  try {
    await open(page, env.server.url, '/directory/');
    assert.ok(await page.isVisible('#directory-search'), '/directory/: the search form is not shown with JavaScript on');
    await page.focus('#q');
    await page.keyboard.type('BABS');
    await page.waitForSelector('#search-results:not([hidden]) .service-card');
    const first = page.locator('#results-list .service-card').first();
    assert.equal((await first.locator('.card-title a').textContent()).trim(), 'Building Attachment and Bonds Service',
      '/directory/?q=BABS: the first result is not Building Attachment and Bonds Service');
    const areas = await first.locator('.facts div', { hasText: 'Areas' }).locator('dd').textContent();
    for (const area of ['Knowsley', 'Sefton']) {
      assert.ok(areas.includes(area), `/directory/?q=BABS: the BABS card's areas "${areas}" do not include ${area}`);
    }
    assert.equal(new URL(page.url()).search, '?q=BABS', '/directory/: the address does not carry the search');
    assert.ok(await page.isHidden('#full-list'), '/directory/?q=BABS: the full list is still shown beside the results');
  } finally {
    await context.close();
  }
});

/** Services serving Sefton for children under one: Sefton's own list (server-rendered)
    crossed with the age groups of the data. */
let filtered;
async function readFiltered() {
  if (filtered) return;
  const context = await env.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await open(page, env.server.url, '/directory/in/sefton/');
    const sefton = new Set(await idsIn(page, 'main'));
    filtered = directory.services
      .filter((s) => sefton.has(s.id) && s.age_groups.includes('0-1'))
      .map((s) => s.id)
      .sort();
  } finally {
    await context.close();
  }
}

test('directory: filtering by area Sefton and age Under 1 shows exactly the services of Sefton\'s list for under ones, and the address says so', async () => {
  await readFiltered();
  assert.ok(filtered.length > 0 && filtered.length < listedIds.length, 'the data gives no useful Sefton/Under 1 set');
  const { context, page } = await newPage();
  try {
    await open(page, env.server.url, '/directory/');
    await page.click('#directory-search details.filters summary');
    await page.selectOption('#f-area', 'sefton');
    await page.selectOption('#f-age', { label: 'Under 1' });
    await page.waitForSelector('#search-results:not([hidden])');
    const shown = (await idsIn(page, '#results-list')).sort();
    assert.deepEqual(shown, filtered, '/directory/ filtered by Sefton and Under 1 shows other services than Sefton\'s list for under ones');
    assert.equal(new URL(page.url()).search, '?area=sefton&age=0-1');
    assert.equal((await page.textContent('#results-count')).trim(), `${filtered.length} services match.`);
  } finally {
    await context.close();
  }
});

test('directory: opening ?area=sefton&age=0-1 restores the form and the results', async () => {
  await readFiltered();
  const { context, page } = await newPage();
  try {
    await open(page, env.server.url, '/directory/?area=sefton&age=0-1');
    const form = await page.evaluate(() => Object.fromEntries(new FormData(document.getElementById('directory-search'))));
    assert.deepEqual(form, { q: '', area: 'sefton', category: '', age: '0-1', delivery: '', referral: '', cost: '' },
      '/directory/?area=sefton&age=0-1: the form does not show the filters from the address');
    assert.equal(await page.$eval('#f-age', (s) => s.selectedOptions[0].textContent), 'Under 1');
    assert.ok(await page.isVisible('#search-results'), '/directory/?area=sefton&age=0-1: no results shown');
    assert.ok(await page.isHidden('#full-list'), '/directory/?area=sefton&age=0-1: the full list is shown');
    assert.deepEqual((await idsIn(page, '#results-list')).sort(), filtered);
    await page.click('#directory-search details.filters summary');
    await page.click('#clear-filters');
    await page.waitForSelector('#full-list:not([hidden])');
    assert.equal(new URL(page.url()).search, '', '/directory/: clearing the filters leaves them in the address');
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------- without JavaScript

test('without JavaScript: the directory lists every service, grouped by area, and hides the form', async () => {
  const { context, page } = await newPage({ javaScriptEnabled: false });
  try {
    await open(page, env.server.url, '/directory/');
    assert.ok(await page.isHidden('#directory-search'), '/directory/ without JavaScript: the search form is shown but cannot work');
    assert.ok(await page.isHidden('#search-results'), '/directory/ without JavaScript: the empty results block is shown');
    assert.ok(await page.isVisible('#full-list'), '/directory/ without JavaScript: the full list is hidden');
    const groups = await page.$$eval('#full-list section h3.group-heading', (hs) => hs.map((h) => h.id));
    const indexLinks = await page.$$eval('#full-list nav.area-index a', (as) => as.map((a) => a.getAttribute('href').slice(1)));
    assert.ok(groups.length > 10, `/directory/ without JavaScript: only ${groups.length} area groups`);
    assert.deepEqual(indexLinks, groups, '/directory/ without JavaScript: the area index does not match the groups');
    const listed = new Set(await idsIn(page, '#full-list'));
    const missing = listedIds.filter((id) => !listed.has(id));
    assert.deepEqual(missing, [], `/directory/ without JavaScript: no link to ${missing.join(', ')}`);
  } finally {
    await context.close();
  }
});

test('without JavaScript: the main pages show their content, and the region matrix is there', async () => {
  const { context, page } = await newPage({ javaScriptEnabled: false });
  try {
    for (const p of ['/', '/regions/cheshire-and-merseyside/', '/areas/sefton/', '/directory/babs-mersey-care/', '/regions/cheshire-and-merseyside/2022/report/']) {
      await open(page, env.server.url, p);
      assert.ok(await page.isVisible('main h1'), `${p} without JavaScript: no visible h1 in main`);
    }
    await open(page, env.server.url, '/regions/cheshire-and-merseyside/');
    assert.ok(await page.isVisible('table.matrix'), '/regions/cheshire-and-merseyside/ without JavaScript: no matrix');
    const cells = await page.$$eval('table.matrix td.rating', (tds) => tds.length);
    const rows = await page.$$eval('table.matrix tbody tr', (trs) => trs.length);
    assert.ok(rows >= 9 && cells >= rows * 5, `/regions/cheshire-and-merseyside/ without JavaScript: matrix has ${rows} rows and ${cells} cells`);
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------- print

for (const p of ['/regions/cheshire-and-merseyside/', '/regions/cheshire-and-merseyside/2022/report/']) {
  test(`print: ${p} keeps the matrix colours and the key`, async () => {
    const { context, page } = await newPage();
    try {
      await open(page, env.server.url, p);
      await page.emulateMedia({ media: 'print' });
      const cell = page.locator('table.matrix td.rating-R').first();
      assert.ok(await cell.count(), `${p}: no td.rating-R in the matrix`);
      const look = await cell.evaluate((td) => {
        const cs = getComputedStyle(td);
        return { background: cs.backgroundColor, adjust: cs.printColorAdjust || cs.webkitPrintColorAdjust, display: cs.display };
      });
      assert.equal(look.background, 'rgb(213, 40, 27)', `${p} in print: td.rating-R has background ${look.background}`);
      assert.equal(look.adjust, 'exact', `${p} in print: td.rating-R has print-color-adjust ${look.adjust}, so a printer may drop the fill`);
      assert.equal(look.display, 'table-cell', `${p} in print: the matrix is not laid out as a table`);
      const key = page.locator('.matrix-block .key').first();
      assert.ok(await key.isVisible(), `${p} in print: the key to the ratings is hidden`);
      const keyItems = await key.locator('.key-item').count();
      assert.ok(keyItems >= 4, `${p} in print: the key shows ${keyItems} ratings`);
      assert.ok(await page.isHidden('.skip-link'), `${p} in print: the skip link prints`);
    } finally {
      await context.close();
    }
  });
}

test('no script errors and no requests off the local server', () => {
  assert.deepEqual(pageErrors, [], `script errors:\n${pageErrors.join('\n')}`);
  assert.deepEqual(env.offsite, [], `requests to other hosts:\n${env.offsite.join('\n')}`);
});
