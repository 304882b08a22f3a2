// WCAG 2.2 A and AA in a real browser: axe-core on the main pages at desktop and phone
// widths. A failure lists, for each violation, the page, the width, the rule and every
// element it was found on.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { setup, open, htmlFiles, MAIN_PAGES, WIDTHS } from '../lib/harness.mjs';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let env;
before(async () => { env = await setup(); });
after(async () => { await env?.teardown(); });

function describe(pageName, width, violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `    element ${n.target.join(' ')}\n      ${n.html.replace(/\s+/g, ' ').slice(0, 240)}\n      ${(n.failureSummary || '').replace(/\s+/g, ' ')}`)
        .join('\n');
      return `${pageName} (${width}): rule ${v.id} [${v.impact}] ${v.help} (${v.tags.filter((t) => t.startsWith('wcag')).join(', ')})\n${nodes}`;
    })
    .join('\n');
}

for (const width of WIDTHS) {
  for (const p of MAIN_PAGES) {
    test(`axe WCAG 2.2 AA: ${p.name} at ${width.name} ${width.viewport.width}×${width.viewport.height}`, async (t) => {
      const context = await env.newContext({ viewport: width.viewport });
      try {
        const page = await context.newPage();
        await open(page, env.server.url, p.path);
        await page.addScriptTag({ path: axePath });
        const result = await page.evaluate(
          (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations', 'incomplete'] }),
          TAGS,
        );
        assert.equal(result.violations.length, 0, `axe found violations on ${p.path}:\n${describe(p.path, width.name, result.violations)}`);
        // What axe could not decide by itself (e.g. contrast over a gradient) is noted, not failed.
        if (result.incomplete.length > 0) {
          t.diagnostic(`${p.path} (${width.name}): axe could not decide: ${result.incomplete.map((r) => `${r.id} ×${r.nodes.length}`).join(', ')}`);
        }
      } finally {
        await context.close();
      }
    });
  }
}

// Every other page of the site once, at phone width, where tables scroll and targets are
// smallest: one test that lists every page with a violation.
test('axe WCAG 2.2 AA: every other page of the site at phone 390×844', async () => {
  const main = new Set(MAIN_PAGES.map((p) => p.path));
  const pages = htmlFiles()
    .map((f) => '/' + f.replace(/(^|\/)index\.html$/, '$1'))
    .filter((p) => !main.has(p));
  assert.ok(pages.length > 50, `only ${pages.length} other pages found`);
  const context = await env.newContext({ viewport: WIDTHS[1].viewport });
  const found = [];
  try {
    const page = await context.newPage();
    for (const p of pages) {
      await open(page, env.server.url, p);
      await page.addScriptTag({ path: axePath });
      const result = await page.evaluate(
        (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
        TAGS,
      );
      if (result.violations.length > 0) found.push(describe(p, 'phone', result.violations));
    }
  } finally {
    await context.close();
  }
  assert.equal(found.length, 0, `axe found violations on ${found.length} of ${pages.length} pages:\n${found.join('\n')}`);
});
