// The site on a phone, and finding one's way round it: no page wider than a 320 or 390 px
// screen, a header menu that folds, charts whose text stays at 12 px or more, a matrix
// that keeps its grid, hex maps with one tab stop each and a focus ring that stands out
// from every tile, unique page titles, the index pages and how they are reached, the home
// page's search box, the favicon, the report-a-problem link, the accessibility statement,
// and 404.html on a site served from a sub-folder.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setup, open, htmlFiles, siteDir, repoRoot, serveSite } from '../lib/harness.mjs';
import { decodePng, focusIndicatorArea } from '../lib/pixels.mjs';

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.teardown(); });

const PHONE = { width: 390, height: 844 };
const REGION = '/regions/cheshire-and-merseyside/';

/** Every page of the built site as a path below its root. */
function allPages() {
  return htmlFiles().map((f) => '/' + f.replace(/(^|\/)index\.html$/, '$1'));
}

async function withPage(options, fn) {
  const context = await env.newContext({ viewport: PHONE, ...options });
  try {
    return await fn(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------- reflow

for (const width of [320, 390]) {
  test(`reflow: no page of the site is wider than a ${width} px screen`, async () => {
    const pages = allPages();
    assert.ok(pages.length > 100, `only ${pages.length} pages found`);
    const wide = await withPage({ viewport: { width, height: 800 } }, async (page) => {
      const found = [];
      for (const p of pages) {
        const response = await page.goto(env.server.url + p, { waitUntil: 'load' });
        // 404.html answers 200 when asked for by name; every other page must too.
        assert.equal(response.status(), 200, `${p}: HTTP ${response.status()}`);
        const over = await page.evaluate(() => {
          const excess = document.documentElement.scrollWidth - document.documentElement.clientWidth;
          if (excess <= 0) return null;
          // What reaches past the right edge outside any box that scrolls or clips it.
          const W = document.documentElement.clientWidth;
          const clipped = (el) => {
            for (let p = el.parentElement; p; p = p.parentElement) {
              if (/(auto|scroll|hidden|clip)/.test(getComputedStyle(p).overflowX)) return true;
            }
            return false;
          };
          const culprits = [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > W + 1 && !clipped(el))
            .slice(0, 3)
            .map((el) => `<${el.tagName.toLowerCase()} class="${el.className}">`);
          return `${excess}px wider ${culprits.join(' ')}`;
        });
        if (over) found.push(`${p}: ${over}`);
      }
      return found;
    });
    assert.deepEqual(wide, [], `pages wider than ${width} px:\n${wide.join('\n')}`);
  });
}

// ---------------------------------------------------------------- header, charts, matrix

test('menu: on a phone the header is one row with a Menu button that opens the links, without JavaScript', async () => {
  await withPage({ javaScriptEnabled: false }, async (page) => {
    await open(page, env.server.url, REGION);
    const header = await page.locator('.site-header').boundingBox();
    assert.ok(header.height <= 120, `${REGION}: the header is ${header.height}px tall at 390 px`);
    assert.ok(await page.isHidden('.nav-open'), 'the row of links shows on a phone');
    assert.ok(await page.isHidden('.nav-folded a >> nth=0'), 'the menu starts open');
    await page.click('.menu summary');
    const folded = await page.$$eval('.nav-folded a', (as) => as.filter((a) => a.checkVisibility()).map((a) => a.textContent.trim()));
    const all = await page.$$eval('.nav-open a', (as) => as.map((a) => a.textContent.trim()));
    assert.ok(all.length >= 5, `only ${all.length} menu links`);
    assert.deepEqual(folded, all, 'the opened menu does not hold the same links as the desktop row');
  });
  await withPage({ viewport: { width: 1280, height: 800 } }, async (page) => {
    await open(page, env.server.url, REGION);
    assert.ok(await page.isHidden('.menu'), 'the Menu button shows on a desktop screen');
    assert.ok(await page.isVisible('.nav-open a >> nth=0'), 'the links are hidden on a desktop screen');
  });
});

for (const width of [320, 390, 1280]) {
  test(`charts: every chart's text is at least 12 px on a ${width} px screen`, async () => {
    await withPage({ viewport: { width, height: 800 } }, async (page) => {
      const small = [];
      let checked = 0;
      for (const p of [REGION, '/areas/knowsley-ccg/', '/regions/lancashire-and-south-cumbria/2022/report/', '/overview/']) {
        await open(page, env.server.url, p);
        const sizes = await page.$$eval('svg.chart', (charts) => charts
          .filter((svg) => svg.checkVisibility())
          .flatMap((svg) => [...svg.querySelectorAll('text')])
          .map((t) => ({ text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a })));
        assert.ok(sizes.length > 20, `${p}: only ${sizes.length} chart texts shown at ${width} px`);
        checked += sizes.length;
        for (const s of sizes) if (s.px < 12) small.push(`${p}: "${s.text}" at ${s.px.toFixed(1)}px`);
      }
      assert.deepEqual(small, [], `chart text under 12 px at ${width} px (${checked} checked):\n${small.slice(0, 20).join('\n')}`);
    });
  });
}

test('matrix on a phone: one grid, scrolling in its box with the area column and the category header pinned', async () => {
  await withPage({}, async (page) => {
    await open(page, env.server.url, REGION);
    const rows = await page.$$eval('table.matrix tbody tr', (trs) => trs.map((tr) => getComputedStyle(tr).display));
    assert.ok(rows.length >= 9 && rows.every((d) => d === 'table-row'), `the matrix rows are laid out as ${[...new Set(rows)]}`);
    const box = page.locator('.matrix-block .table-scroll').first();
    const pinned = async () => page.evaluate(() => {
      const scroller = document.querySelector('.matrix-block .table-scroll');
      const s = scroller.getBoundingClientRect();
      const area = document.querySelector('table.matrix tbody tr:last-child th').getBoundingClientRect();
      const head = document.querySelector('table.matrix thead th:last-child').getBoundingClientRect();
      return { areaLeft: area.left - s.left, headTop: head.top - s.top, canScroll: [scroller.scrollWidth > scroller.clientWidth, scroller.scrollHeight > scroller.clientHeight] };
    });
    const start = await pinned();
    assert.ok(start.canScroll[0], 'the matrix does not scroll sideways in its box on a phone');
    await box.evaluate((el) => { el.scrollLeft = el.scrollWidth; el.scrollTop = el.scrollHeight; });
    const end = await pinned();
    assert.ok(Math.abs(end.areaLeft) <= 2, `the area column moved ${end.areaLeft}px when the matrix scrolled sideways`);
    if (start.canScroll[1]) assert.ok(Math.abs(end.headTop) <= 2, `the category header moved ${end.headTop}px when the matrix scrolled down`);
    // Each cell still says its rating in words to a screen reader.
    const words = await page.$eval('table.matrix td.rating-R', (td) => td.textContent.replace(/\s+/g, ' ').trim());
    assert.match(words, /R No provision/);
  });
});

test('matrix: a row header with a marker reads "South Sefton, no return" to assistive technology and when copied', async () => {
  await withPage({}, async (page, context) => {
    await open(page, env.server.url, REGION);
    const th = page.locator('table.matrix tbody th', { hasText: 'South Sefton' });
    assert.equal((await th.evaluate((el) => el.innerText)).replace(/\s+/g, ' ').trim(), 'South Sefton, no return');
    // The name Chromium gives the row header in its accessibility tree.
    const cdp = await context.newCDPSession(page);
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    const names = nodes.filter((n) => n.role?.value === 'rowheader').map((n) => n.name?.value);
    assert.ok(names.includes('South Sefton, no return'), `row headers: ${names.join(' | ')}`);
  });
});

// ---------------------------------------------------------------- hex maps

test('hex maps: two to a row on a phone, one tab stop per map, and the arrow keys move between tiles', async () => {
  await withPage({}, async (page) => {
    await open(page, env.server.url, REGION);
    const maps = await page.$$eval('svg.hexmap', (svgs) => svgs.map((s) => s.getBoundingClientRect().left));
    assert.ok(maps.length >= 10, `only ${maps.length} maps`);
    assert.ok(new Set(maps.map(Math.round)).size >= 2, 'the maps stand in one column on a phone');
    const stops = await page.$$eval('svg.hexmap', (svgs) => svgs.map((s) => [...s.querySelectorAll('a')].filter((a) => a.tabIndex >= 0).length));
    assert.deepEqual(stops, maps.map(() => 1), 'each map is not exactly one stop in the tab order');
    assert.ok(await page.isVisible('.hexmap-keys'), 'the page does not say how to move round a map');
    // Tab from the link before the maps lands on the first map; the arrows move inside it.
    await page.locator('#maps').evaluate((h) => h.scrollIntoView());
    await page.locator('svg.hexmap').first().locator('a[tabindex="0"]').focus();
    const first = await page.evaluate(() => document.activeElement.getAttribute('aria-label'));
    await page.keyboard.press('ArrowRight');
    const second = await page.evaluate(() => ({ name: document.activeElement.getAttribute('aria-label'), inMap: document.querySelector('svg.hexmap').contains(document.activeElement) }));
    assert.ok(second.inMap && second.name !== first, `ArrowRight from "${first}" went to "${second.name}"`);
    await page.keyboard.press('Tab');
    const next = await page.evaluate(() => [...document.querySelectorAll('svg.hexmap')].indexOf(document.activeElement.closest('svg.hexmap')));
    assert.equal(next, 1, 'Tab from a tile does not go on to the next map');
  });
});

test('hex maps: the focus ring of a tile of every colour changes at least a 2 px ring of pixels with 3:1 contrast', async () => {
  await withPage({}, async (page) => {
    await open(page, env.server.url, REGION);
    // One tile of each fill the maps use: the key map's white, each rating's colour.
    const tiles = await page.$$eval('svg.hexmap a', (as) => {
      const seen = new Map();
      as.forEach((a, i) => {
        const fill = a.querySelector('polygon').getAttribute('fill');
        if (!seen.has(fill)) seen.set(fill, i);
      });
      return [...seen].map(([fill, i]) => ({ fill, i }));
    });
    assert.ok(tiles.length >= 5, `only ${tiles.length} tile colours: ${tiles.map((t) => t.fill)}`);
    const weak = [];
    for (const { fill, i } of tiles) {
      const tile = page.locator('svg.hexmap a').nth(i);
      await tile.evaluate((a) => a.scrollIntoView({ block: 'center' }));
      await page.evaluate(() => document.activeElement?.blur());
      const b = await tile.boundingBox();
      const clip = { x: Math.floor(b.x) - 6, y: Math.floor(b.y) - 6, width: Math.ceil(b.width) + 12, height: Math.ceil(b.height) + 12 };
      const before = decodePng(await page.screenshot({ clip }));
      await tile.evaluate((a) => a.focus({ preventScroll: true }));
      const after = decodePng(await page.screenshot({ clip }));
      const { changed, contrasting } = focusIndicatorArea(before, after);
      // A pointy-topped hexagon of height h has sides of h/2: its perimeter is 3h.
      const needed = 2 * 3 * b.height;
      if (contrasting < needed) weak.push(`${fill}: ${contrasting} of ${changed} changed pixels at 3:1, ${Math.round(needed)} needed`);
    }
    assert.deepEqual(weak, [], `hex tiles whose focus ring is too faint:\n${weak.join('\n')}`);
  });
});

test('focus: every tab stop of the home, region and area pages changes at least a 1 px ring of pixels with 3:1 contrast', async () => {
  await withPage({}, async (page) => {
    const weak = [];
    let checked = 0;
    for (const p of ['/', REGION, '/areas/knowsley-ccg/']) {
      await open(page, env.server.url, p);
      const count = await page.evaluate(() => {
        const all = [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]
          .filter((el) => el.tabIndex >= 0 && el.checkVisibility({ checkVisibilityCSS: true }));
        all.forEach((el, i) => el.setAttribute('data-stop', String(i)));
        return all.length;
      });
      for (let i = 0; i < count; i++) {
        const el = page.locator(`[data-stop="${i}"]`);
        await el.evaluate((e) => { e.scrollIntoView({ block: 'center', inline: 'center' }); document.activeElement?.blur(); });
        const b = await el.boundingBox();
        if (!b || b.width < 1 || b.height < 1) continue;
        const x = Math.max(0, Math.floor(b.x) - 10), y = Math.max(0, Math.floor(b.y) - 10);
        const width = Math.min(PHONE.width, Math.ceil(b.x + b.width) + 10) - x;
        const height = Math.min(PHONE.height, Math.ceil(b.y + b.height) + 10) - y;
        if (width < 4 || height < 4) continue;
        const clip = { x, y, width, height };
        const before = decodePng(await page.screenshot({ clip }));
        await el.evaluate((e) => e.focus({ preventScroll: true }));
        const after = decodePng(await page.screenshot({ clip }));
        const { contrasting } = focusIndicatorArea(before, after);
        // The perimeter of what is shown: of each line of a link that wraps, on screen.
        const needed = await el.evaluate((e, vp) => [...e.getClientRects()]
          .map((r) => ({ w: Math.min(r.right, vp.width) - Math.max(r.left, 0), h: Math.min(r.bottom, vp.height) - Math.max(r.top, 0) }))
          .filter((r) => r.w > 0 && r.h > 0)
          .reduce((sum, r) => sum + 2 * (r.w + r.h), 0), PHONE);
        checked++;
        if (contrasting < needed) {
          const name = await el.evaluate((e) => `<${e.tagName.toLowerCase()}${e.className ? ` class="${e.className.baseVal ?? e.className}"` : ''}> "${(e.getAttribute('aria-label') || e.textContent).trim().slice(0, 40)}"`);
          weak.push(`${p}: ${name}: ${contrasting} pixels at 3:1, ${Math.round(needed)} needed`);
        }
      }
    }
    assert.ok(checked > 100, `only ${checked} tab stops checked`);
    assert.deepEqual(weak, [], `focus indicators too faint:\n${weak.join('\n')}`);
  });
});

// ---------------------------------------------------------------- wayfinding

test('titles: every page of the site has a title of its own', () => {
  const byTitle = new Map();
  for (const f of htmlFiles()) {
    const html = fs.readFileSync(path.join(siteDir, f), 'utf8');
    const title = html.match(/<title>([^<]*)<\/title>/)?.[1]?.trim();
    assert.ok(title, `${f}: no title`);
    byTitle.set(title, [...(byTitle.get(title) || []), f]);
  }
  const shared = [...byTitle].filter(([, files]) => files.length > 1).map(([t, files]) => `"${t}": ${files.join(', ')}`);
  assert.deepEqual(shared, [], `titles used by more than one page:\n${shared.join('\n')}`);
  assert.ok(byTitle.has('Knowsley (Place, from 2023) — Early years mental health provision in the North West Coast'), 'the Place of Knowsley is not told apart in its title');
  assert.ok(byTitle.has('Knowsley (CCG area, to 2022) — Early years mental health provision in the North West Coast'), 'the CCG area of Knowsley is not told apart in its title');
});

test('index pages: /regions/, /areas/ and /categories/ are linked from the home page, every footer and the breadcrumbs, and list everything', async () => {
  const regions = fs.readdirSync(path.join(siteDir, 'regions'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const areas = fs.readdirSync(path.join(siteDir, 'areas'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const categories = fs.readdirSync(path.join(siteDir, 'categories'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  await withPage({}, async (page) => {
    await open(page, env.server.url, '/');
    const home = await page.$$eval('main a', (as) => as.map((a) => new URL(a.href).pathname));
    for (const index of ['regions', 'areas', 'categories']) {
      assert.ok(home.includes(`/${index}/index.html`), `the home page does not link to /${index}/`);
    }
    const listed = async (p, folder) => {
      // The shortened address answers as well as the file's own.
      await open(page, env.server.url, `/${folder}/`);
      await open(page, env.server.url, p);
      const footer = await page.$$eval('footer a', (as) => as.map((a) => new URL(a.href).pathname));
      assert.ok(footer.includes(`/${folder}/index.html`), `${p}: the footer does not link to /${folder}/`);
      return [...new Set(await page.$$eval(`main a[href*="${folder}/"]`, (as, f) => as
        .map((a) => new URL(a.href).pathname)
        .map((h) => h.match(new RegExp(`/${f}/([^/]+)/index\\.html$`))?.[1])
        .filter(Boolean), folder))].sort();
    };
    assert.deepEqual(await listed('/regions/index.html', 'regions'), regions);
    assert.deepEqual(await listed('/areas/index.html', 'areas'), areas);
    assert.deepEqual(await listed('/categories/index.html', 'categories'), categories);
    // Current and former areas, each under its region.
    await open(page, env.server.url, '/areas/index.html');
    const current = await page.$$eval('#cheshire-and-merseyside-current + ul a', (as) => as.map((a) => a.textContent));
    const former = await page.$$eval('#cheshire-and-merseyside-former + ul a', (as) => as.map((a) => a.textContent));
    assert.ok(current.includes('Knowsley (Place, from 2023)'), `in use now: ${current.join(', ')}`);
    assert.ok(former.includes('Knowsley (CCG area, to 2022)'), `former: ${former.join(', ')}`);
    for (const [p, index] of [[REGION, 'regions'], ['/areas/knowsley/', 'areas'], ['/categories/health-visiting/', 'categories']]) {
      await open(page, env.server.url, p);
      const crumbs = await page.$$eval('nav.breadcrumbs a', (as) => as.map((a) => new URL(a.href).pathname));
      assert.ok(crumbs.includes(`/${index}/index.html`), `${p}: the breadcrumbs do not lead to /${index}/`);
    }
  });
});

test('home page: the search box sends the query to the directory as ?q=', async () => {
  await withPage({ javaScriptEnabled: false }, async (page) => {
    await open(page, env.server.url, '/');
    const first = await page.evaluate(() => document.querySelector('main form[role="search"]').getBoundingClientRect().top);
    assert.ok(first < 844, `the search box starts ${first}px down, below the first screen of a phone`);
    await page.fill('#home-q', 'health visitor');
    await Promise.all([page.waitForURL(/directory\/index\.html\?q=/), page.press('#home-q', 'Enter')]);
    const url = new URL(page.url());
    assert.equal(url.pathname, '/directory/index.html');
    assert.equal(url.searchParams.get('q'), 'health visitor');
  });
});

test('favicon, report-a-problem link and accessibility statement', async () => {
  const settings = fs.readFileSync(path.join(repoRoot, 'scopemap.yaml'), 'utf8');
  const email = settings.match(/^publisher:\n(?:\s+#.*\n|\s+\w+:.*\n)*?\s+email:\s*(\S+)/m)?.[1];
  assert.ok(email, 'scopemap.yaml names no publisher e-mail');
  await withPage({}, async (page) => {
    const missing = [];
    page.on('response', (r) => { if (r.status() >= 400) missing.push(`${r.status()} ${r.url()}`); });
    await open(page, env.server.url, REGION);
    const icon = await page.$eval('link[rel="icon"]', (l) => l.href);
    const answer = await page.request.get(icon);
    assert.equal(answer.status(), 200, `the favicon ${icon} answers ${answer.status()}`);
    assert.deepEqual(missing, [], 'the page asked for something that is not there');
    const mail = new URL(await page.$eval('.report-problem a', (a) => a.href));
    assert.equal(mail.protocol, 'mailto:');
    assert.equal(mail.pathname, email);
    assert.equal(mail.searchParams.get('subject'), `Problem with the page ${REGION}`);

    await open(page, env.server.url, '/accessibility/index.html');
    const headings = await page.$$eval('main h2, main h3', (hs) => hs.map((h) => h.textContent.trim()));
    // The sections of the GOV.UK model statement, in its order.
    const model = ['How accessible this site is', 'Feedback and contact information', 'Reporting accessibility problems with this site',
      'Enforcement procedure', "Technical information about this site's accessibility", 'Compliance status', 'Non-accessible content',
      'Preparation of this accessibility statement'];
    const order = model.map((m) => headings.indexOf(m));
    assert.ok(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1])), `statement headings out of the model's order: ${headings.join(' | ')}`);
    const text = await page.textContent('main');
    assert.ok(text.includes(email), 'the statement does not give the contact address');
    assert.match(text, /partially compliant/);
    assert.match(text, /PDF/, 'the statement does not list the PDFs');
    assert.match(text, /Equality Advisory and Support Service/);
  });
});

test('404.html works on a site served from a sub-folder: its stylesheet loads and its links lead into the site', async () => {
  const sub = await serveSite(siteDir, '/sub/');
  // A context of its own: the shared ones let pages reach only the main server.
  const context = await env.browser.newContext({ viewport: PHONE, reducedMotion: 'reduce' });
  await context.route('**/*', (route) => (route.request().url().startsWith(sub.url + '/') ? route.continue() : route.abort()));
  try {
    {
      const page = await context.newPage();
      const response = await page.goto(`${sub.url}/sub/no/such/page/`, { waitUntil: 'load' });
      assert.equal(response.status(), 404);
      await page.waitForFunction(() => [...document.querySelectorAll('main a')].every((a) => a.getAttribute('href').startsWith('/sub/')), null, { timeout: 5000 });
      await page.waitForFunction(() => getComputedStyle(document.querySelector('.site-header')).backgroundColor === 'rgb(0, 94, 184)', null, { timeout: 5000 });
      const links = await page.$$eval('main a, header a, footer a[href^="/"]', (as) => as.map((a) => a.href));
      assert.ok(links.length >= 5);
      for (const href of links) {
        const r = await page.request.get(href);
        assert.equal(r.status(), 200, `${href} from the 404 page answers ${r.status()}`);
      }
    }
  } finally {
    await context.close();
    await sub.close();
  }
});
