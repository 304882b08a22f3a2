// Comparing areas in a real browser: choosing two areas shows only their columns beside
// the region's distribution and puts them in the address; the address alone brings the
// same choice back; without JavaScript every area's column shows and the picker does not.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, open } from '../lib/harness.mjs';

const COMPARE = '/regions/cheshire-and-merseyside/2022/compare/';

let env;
const pageErrors = [];
before(async () => { env = await setup(); });
after(async () => { await env?.teardown(); });

async function withPage(options, fn) {
  const context = await env.newContext({ viewport: { width: 390, height: 844 }, ...options });
  try {
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`${page.url()}: ${e.message}`));
    return await fn(page);
  } finally {
    await context.close();
  }
}

/** The area ids of the columns shown, the distribution column, and the summary's text. */
function shown(page) {
  return page.evaluate(() => {
    const visible = (el) => el.checkVisibility({ checkVisibilityCSS: true });
    const heads = [...document.querySelectorAll('table.compare-areas thead th')].filter(visible);
    const cells = [...document.querySelectorAll('table.compare-areas tbody td[data-area]')].filter(visible);
    return {
      areas: heads.filter((th) => th.dataset.area).map((th) => th.dataset.area),
      cellAreas: [...new Set(cells.map((td) => td.dataset.area))],
      distribution: heads.some((th) => th.classList.contains('distribution'))
        && [...document.querySelectorAll('table.compare-areas tbody td.distribution')].every(visible),
      summary: document.getElementById('compare-summary').textContent.trim(),
    };
  });
}

test('compare areas: choosing two areas shows their columns and the region\'s, and the address keeps them', async () => {
  await withPage({}, async (page) => {
    await open(page, env.server.url, COMPARE);
    const all = await page.$$eval('table.compare-areas thead th[data-area]', (ths) => ths.map((th) => th.dataset.area));
    assert.ok(all.length >= 9, `only ${all.length} areas`);
    assert.ok(await page.isVisible('#compare-picker'), 'the picker is not shown with JavaScript');
    // The boxes are found by their labels, as a person would find them.
    await page.getByLabel('Knowsley', { exact: true }).check();
    await page.getByLabel('Liverpool', { exact: true }).check();
    await page.click('#compare-picker button[type="submit"]');
    const url = new URL(page.url());
    assert.equal(url.pathname, COMPARE);
    assert.deepEqual(url.searchParams.get('areas').split(','), ['knowsley-ccg', 'liverpool-ccg']);
    const chosen = await shown(page);
    assert.deepEqual(chosen.areas, ['knowsley-ccg', 'liverpool-ccg']);
    assert.deepEqual(chosen.cellAreas, ['knowsley-ccg', 'liverpool-ccg']);
    assert.ok(chosen.distribution, 'the region\'s distribution is hidden');
    assert.match(chosen.summary, /Comparing 2 of \d+ areas: Knowsley and Liverpool/);

    // The address alone brings the same choice back.
    await page.reload({ waitUntil: 'load' });
    const again = await shown(page);
    assert.deepEqual(again.areas, ['knowsley-ccg', 'liverpool-ccg']);
    assert.deepEqual(again.cellAreas, ['knowsley-ccg', 'liverpool-ccg']);
    assert.ok(again.distribution);
    const boxes = await page.$$eval('#compare-picker input:checked', (inputs) => inputs.map((i) => i.value));
    assert.deepEqual(boxes, ['knowsley-ccg', 'liverpool-ccg']);

    // A link with the choice, opened afresh; then "Show all areas" clears it.
    await open(page, env.server.url, `${COMPARE}?areas=wirral-ccg,st-helens-ccg,no-such-area`);
    assert.deepEqual((await shown(page)).areas, ['st-helens-ccg', 'wirral-ccg']);
    await page.click('#compare-all');
    assert.equal(new URL(page.url()).search, '');
    const cleared = await shown(page);
    assert.deepEqual(cleared.areas, all);
    assert.match(cleared.summary, /Showing all \d+ areas/);
    // Back returns to the two chosen before.
    await page.goBack();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('areas') !== null);
    assert.deepEqual((await shown(page)).areas, ['st-helens-ccg', 'wirral-ccg']);
  });
  assert.deepEqual(pageErrors, []);
});

test('compare areas without JavaScript: every area and the distribution show, and the picker that cannot work does not', async () => {
  await withPage({ javaScriptEnabled: false }, async (page) => {
    await open(page, env.server.url, `${COMPARE}?areas=knowsley-ccg,liverpool-ccg`);
    assert.ok(await page.isHidden('#compare-picker'), 'the picker shows without JavaScript');
    const all = await page.$$eval('table.compare-areas thead th[data-area]', (ths) => ths.map((th) => th.dataset.area));
    const view = await shown(page);
    assert.ok(all.length >= 9, `only ${all.length} areas`);
    assert.deepEqual(view.areas, all);
    assert.deepEqual(view.cellAreas, all);
    assert.ok(view.distribution);
    // The region's page links here.
    await open(page, env.server.url, '/regions/cheshire-and-merseyside/2022/');
    const links = await page.$$eval('main a[href]', (as) => as.map((a) => new URL(a.getAttribute('href'), document.baseURI).pathname));
    assert.ok(links.includes(`${COMPARE}index.html`), 'the region page does not link to its compare page');
  });
});

test('compare areas on a 320 px phone: the table scrolls in its own box with the types of service pinned', async () => {
  await withPage({ viewport: { width: 320, height: 700 } }, async (page) => {
    await open(page, env.server.url, COMPARE);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(wide <= 0, `the page is ${wide}px wider than the screen`);
    const box = page.locator('.compare-scroll');
    const first = async () => page.evaluate(() => {
      const s = document.querySelector('.compare-scroll').getBoundingClientRect();
      return document.querySelector('table.compare-areas tbody tr:last-child th').getBoundingClientRect().left - s.left;
    });
    assert.ok(await box.evaluate((el) => el.scrollWidth > el.clientWidth), 'the table does not scroll sideways in its box');
    await box.evaluate((el) => { el.scrollLeft = el.scrollWidth; });
    assert.ok(Math.abs(await first()) <= 2, 'the type of service column moved when the table scrolled');
  });
});
