// Every generated page is valid HTML per the Nu HTML checker (vnu.jar from the vnu-jar
// package), run once over all the .html files of the built site. A failure names each
// page, line and column, and the checker's message and extract.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { siteDir, htmlFiles } from '../lib/harness.mjs';

const require = createRequire(import.meta.url);
const vnuJar = path.join(path.dirname(require.resolve('vnu-jar/package.json')), 'build', 'dist', 'vnu.jar');

test('Nu HTML checker: every page of the built site has no errors', () => {
  const files = htmlFiles();
  assert.ok(files.length > 50, `expected the whole site, found only ${files.length} pages in ${siteDir}`);
  const run = spawnSync('java', ['-Xss4m', '-jar', vnuJar, '--errors-only', '--format', 'json', ...files], {
    cwd: siteDir,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  assert.equal(run.error, undefined, `could not run java: ${run.error}`);
  // vnu writes its JSON report to stderr; exit code 1 means it found errors.
  let report;
  try {
    report = JSON.parse(run.stderr);
  } catch {
    assert.fail(`vnu.jar did not print a JSON report (exit ${run.status}):\n${run.stderr}\n${run.stdout}`);
  }
  const errors = report.messages.filter((m) => m.type === 'error' || m.subType === 'fatal' || m.type === 'non-document-error');
  const lines = errors.map((m) => {
    const file = m.url ? path.relative(siteDir, new URL(m.url).pathname) : '(no file)';
    const where = m.lastLine ? `:${m.lastLine}:${m.firstColumn ?? m.lastColumn}` : '';
    const extract = m.extract ? `\n    ${m.extract.replace(/\s+/g, ' ').trim()}` : '';
    return `${file}${where}: ${m.message}${extract}`;
  });
  assert.equal(errors.length, 0, `${errors.length} HTML errors in ${files.length} pages:\n${lines.join('\n')}`);
  assert.equal(run.status, 0, `vnu.jar exited ${run.status}:\n${run.stderr.slice(0, 2000)}`);
});
