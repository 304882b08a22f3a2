// Shared pieces of the browser tests: a static file server for the built site bound to
// 127.0.0.1, headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core),
// and the list of pages and widths the tests visit.
//
// The site folder comes from SCOPEMAP_SITE (scripts/browser-tests.sh builds it); the
// screenshots go to SCOPEMAP_SCREENSHOTS (target/browser-screenshots by default).

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const testsRoot = path.resolve(here, '..');
export const repoRoot = path.resolve(testsRoot, '..');

export const siteDir = process.env.SCOPEMAP_SITE
  ? path.resolve(process.env.SCOPEMAP_SITE)
  : path.join(repoRoot, 'public');
export const screenshotDir = process.env.SCOPEMAP_SCREENSHOTS
  ? path.resolve(process.env.SCOPEMAP_SCREENSHOTS)
  : path.join(repoRoot, 'target', 'browser-screenshots');
export const chromiumPath = process.env.SCOPEMAP_CHROMIUM || '/usr/bin/chromium';

export const WIDTHS = [
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
];

/** The main pages: name (for messages and screenshot files) and path below the site root. */
export const MAIN_PAGES = [
  { name: 'home', path: '/' },
  { name: 'region-cheshire-and-merseyside', path: '/regions/cheshire-and-merseyside/' },
  { name: 'region-lancashire-and-south-cumbria', path: '/regions/lancashire-and-south-cumbria/' },
  { name: 'area-sefton', path: '/areas/sefton/' },
  { name: 'area-halton-ccg', path: '/areas/halton-ccg/' },
  { name: 'category-parent-infant-mh-service', path: '/categories/parent-infant-mh-service/' },
  { name: 'directory', path: '/directory/' },
  { name: 'directory-filtered', path: '/directory/?area=sefton&age=0-1' },
  { name: 'service-babs-mersey-care', path: '/directory/babs-mersey-care/' },
  { name: 'report-cheshire-and-merseyside-2022', path: '/regions/cheshire-and-merseyside/2022/report/' },
  { name: 'compare-cheshire-and-merseyside-2022', path: '/regions/cheshire-and-merseyside/2022/compare/' },
  { name: 'overview', path: '/overview/' },
  { name: 'overview-health-visiting-2022', path: '/overview/2022/health-visiting/' },
  { name: 'brief-knowsley-ccg-2022', path: '/areas/knowsley-ccg/2022/brief/' },
];

if (!fs.existsSync(path.join(siteDir, 'index.html'))) {
  throw new Error(`no built site at ${siteDir} (set SCOPEMAP_SITE, or run scripts/browser-tests.sh)`);
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.pdf': 'application/pdf',
};

/**
 * Serves the built site on 127.0.0.1 at a free port; resolves to { url, close }. With a
 * `prefix` such as `/sub/`, the site is served below that folder, as a host serves a site
 * published in a sub-folder, and any other address answers 404 without a page.
 */
export function serveSite(root = siteDir, prefix = '/') {
  const server = http.createServer((req, res) => {
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    if (!rel.startsWith(prefix)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    rel = '/' + rel.slice(prefix.length);
    let file = path.normalize(path.join(root, rel));
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    if (rel.endsWith('/')) file = path.join(file, 'index.html');
    fs.stat(file, (err, st) => {
      if (!err && st.isDirectory()) {
        res.writeHead(301, { Location: prefix + rel.slice(1) + '/' }).end();
        return;
      }
      if (err || !st.isFile()) {
        const notFound = path.join(root, '404.html');
        res.writeHead(404, { 'Content-Type': TYPES['.html'] });
        if (fs.existsSync(notFound)) fs.createReadStream(notFound).pipe(res);
        else res.end('not found');
        return;
      }
      res.writeHead(200, {
        'Content-Type': TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream',
        'Content-Length': st.size,
        'Cache-Control': 'no-store',
      });
      if (req.method === 'HEAD') res.end();
      else fs.createReadStream(file).pipe(res);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
      });
    });
  });
}

/** Headless Debian Chromium, a fresh temporary profile per launch (Playwright's default). */
export function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/**
 * Starts the server and the browser for one test file and returns them with a teardown.
 * Any request the pages make outside the local server is blocked and recorded, so a test
 * never depends on the network.
 */
export async function setup() {
  const server = await serveSite();
  const browser = await launchBrowser();
  const offsite = [];
  async function newContext(options = {}) {
    const context = await browser.newContext({ reducedMotion: 'reduce', ...options });
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(server.url + '/') || url.startsWith('data:')) return route.continue();
      offsite.push(url);
      return route.abort();
    });
    return context;
  }
  async function teardown() {
    await browser.close();
    await server.close();
  }
  return { server, browser, newContext, offsite, teardown };
}

/** Opens a page and fails if it does not answer 200. */
export async function open(page, baseUrl, pagePath) {
  const response = await page.goto(baseUrl + pagePath, { waitUntil: 'load' });
  if (!response || response.status() !== 200) {
    throw new Error(`${pagePath}: HTTP ${response ? response.status() : 'no response'}`);
  }
  return response;
}

/** Every .html file below a folder, as paths relative to it, sorted. */
export function htmlFiles(root = siteDir) {
  const out = [];
  (function walk(dir) {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.html')) out.push(path.relative(root, full));
    }
  })(root);
  return out.sort();
}
