// `tandem serve --watch` in a real browser (Debian's chromium, driven by playwright-core): a page
// edit reloads the open page, a stylesheet edit is swapped in without a reload, a build error shows
// the overlay with the terminal's report, and fixing it reloads the page without the overlay.
// Everything runs on 127.0.0.1; the server and the browser are stopped at the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const TANDEM = resolve(REPO, process.env.TANDEM_BIN || 'target/debug/tandem');
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
let chromium;
try { ({ chromium } = await import('playwright-core')); } catch {}
const skip = !chromium ? 'playwright-core is not installed (npm ci)'
  : !existsSync(CHROMIUM) ? `no chromium at ${CHROMIUM}`
  : !existsSync(TANDEM) ? `no tandem binary at ${TANDEM}` : false;

const GUIDE = '---\ntitle: One\nweight: 1\n---\n## Start here\n\nThe first version.\n';

function site() {
  const root = mkdtempSync(join(tmpdir(), 'tandem-serve-'));
  const files = {
    'site.toml': 'title = "Live"\n',
    'content/_index.md': '---\ntitle: Home\n---\nWelcome.\n',
    'content/guides/_index.md': '---\ntitle: Guides\n---\n',
    'content/guides/one.md': GUIDE,
    'static/live.css': 'body { color: rgb(1, 2, 3); }\n',
    'templates/page.html':
      '<!DOCTYPE html><html><head><title>{{ page.title }}</title><link rel="stylesheet" href="/live.css"></head>' +
      '<body><main>{{ page.content | safe }}</main></body></html>\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

/** Starts `tandem serve --watch` on a free port; resolves once the first build is done. */
function serve(root) {
  const child = spawn(TANDEM, ['serve', '--watch', '--port', '0', '--root', root], { env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`server did not start: ${out}`)), 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const url = out.match(/serving the site at (http:\/\/127\.0\.0\.1:\d+)\//);
      if (url && /\nbuilt /.test(out)) { clearTimeout(timer); ok({ child, url: url[1] }); }
    });
    child.on('exit', (code) => fail(new Error(`server exited (${code}): ${out}`)));
  });
}

test('live reload, stylesheet swap and error overlay in a browser', { skip, timeout: 60000 }, async () => {
  const root = site();
  const { child, url } = await serve(root);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    await page.goto(`${url}/guides/one/`);
    await page.waitForFunction(() => document.body.innerText.includes('The first version.'));
    // Wait for the live-reload connection before changing anything.
    await page.waitForTimeout(300);
    const color = () => page.evaluate(() => getComputedStyle(document.body).color);
    assert.equal(await color(), 'rgb(1, 2, 3)');

    // A stylesheet edit: swapped in place, the page is not reloaded.
    await page.evaluate(() => { window.stillHere = true; });
    writeFileSync(join(root, 'static/live.css'), 'body { color: rgb(200, 0, 0); }\n');
    await page.waitForFunction(() => getComputedStyle(document.body).color === 'rgb(200, 0, 0)', null, { timeout: 10000 });
    assert.equal(await page.evaluate(() => window.stillHere), true, 'no reload for CSS');

    // A page edit: the open page reloads and shows it.
    writeFileSync(join(root, 'content/guides/one.md'), GUIDE.replace('The first version.', 'The second version.'));
    await page.waitForFunction(() => document.body.innerText.includes('The second version.'), null, { timeout: 10000 });
    assert.equal(await page.evaluate(() => window.stillHere), undefined, 'reloaded');

    // An error: the overlay shows the report, HTML-escaped, over the last good page.
    writeFileSync(join(root, 'content/guides/one.md'), GUIDE.replace('weight: 1', 'wieght: <b>1</b>'));
    const overlay = page.locator('#tandem-overlay');
    await overlay.waitFor({ timeout: 10000 });
    const report = await overlay.locator('pre').textContent();
    assert.match(report, /unknown field `wieght`/);
    assert.match(report, /wieght: <b>1<\/b>/, 'markup in the report shows as text');
    assert.match(await page.locator('main').textContent(), /The second version\./);

    // Fixed: the page reloads without the overlay.
    writeFileSync(join(root, 'content/guides/one.md'), GUIDE.replace('The first version.', 'The third version.'));
    await page.waitForFunction(() => document.body.innerText.includes('The third version.'), null, { timeout: 10000 });
    assert.equal(await overlay.count(), 0);
  } finally {
    await browser.close();
    child.kill();
    rmSync(root, { recursive: true, force: true });
  }
});
