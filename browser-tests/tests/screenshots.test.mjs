// Full-page screenshots of the main pages at desktop and phone widths, saved for people
// to look at in target/browser-screenshots/ (<page>-<width>.png). The test fails if a
// page does not load or a picture comes out empty.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setup, open, MAIN_PAGES, WIDTHS, screenshotDir } from '../lib/harness.mjs';

let env;
before(async () => {
  fs.mkdirSync(screenshotDir, { recursive: true });
  env = await setup();
});
after(async () => { await env?.teardown(); });

for (const width of WIDTHS) {
  test(`screenshots at ${width.name} ${width.viewport.width}×${width.viewport.height} in ${path.relative(process.cwd(), screenshotDir) || screenshotDir}`, async () => {
    const context = await env.newContext({ viewport: width.viewport });
    try {
      const page = await context.newPage();
      for (const p of MAIN_PAGES) {
        await open(page, env.server.url, p.path);
        const file = path.join(screenshotDir, `${p.name}-${width.name}.png`);
        await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
        const size = fs.statSync(file).size;
        assert.ok(size > 10_000, `${p.path} (${width.name}): screenshot ${file} is only ${size} bytes`);
        // The page must fit the width: nothing wider than the viewport outside a scroll box.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `${p.path} (${width.name}): the page is ${overflow}px wider than the window`);
      }
    } finally {
      await context.close();
    }
  });
}

// On a phone, also the long narrative page with its wide tables, and the matrix on its own
// (the part of the region page that changed most between desktop and phone).
test('screenshots at phone 390×844 of the need page and the matrix', async () => {
  const context = await env.newContext({ viewport: WIDTHS[1].viewport });
  try {
    const page = await context.newPage();
    await open(page, env.server.url, '/need/');
    const need = path.join(screenshotDir, 'need-phone.png');
    await page.screenshot({ path: need, fullPage: true, animations: 'disabled', caret: 'hide' });
    assert.ok(fs.statSync(need).size > 10_000, `${need} is nearly empty`);
    await open(page, env.server.url, '/regions/cheshire-and-merseyside/');
    const matrix = path.join(screenshotDir, 'matrix-cheshire-and-merseyside-phone.png');
    await page.locator('.matrix-block').first().screenshot({ path: matrix, animations: 'disabled', caret: 'hide' });
    assert.ok(fs.statSync(matrix).size > 10_000, `${matrix} is nearly empty`);
  } finally {
    await context.close();
  }
});
