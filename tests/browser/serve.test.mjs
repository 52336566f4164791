// `tandem serve --watch` in a real browser (Debian's chromium, driven by playwright-core): a page
// edit is patched into the open page without a reload (scroll, focus, open <details> and unsaved
// quiz answers stay), a change to the page's scripts reloads it, a stylesheet edit is swapped in,
// a build error shows the overlay with the terminal's report, and fixing it reloads the page
// without the overlay.
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

    // A page edit: patched into the open page, which is not reloaded.
    writeFileSync(join(root, 'content/guides/one.md'), GUIDE.replace('The first version.', 'The second version.'));
    await page.waitForFunction(() => document.body.innerText.includes('The second version.'), null, { timeout: 10000 });
    assert.equal(await page.evaluate(() => window.stillHere), true, 'patched in place');
    assert.equal(await page.locator('main p').count(), 1, 'the paragraph was changed, not added');
    assert.equal(await color(), 'rgb(200, 0, 0)', 'the swapped stylesheet stays');

    // A new script in the head: the page reloads, so that the script runs.
    writeFileSync(join(root, 'static/extra.js'), 'window.extraRan = true;\n');
    writeFileSync(join(root, 'templates/page.html'), readFileSync(join(root, 'templates/page.html'), 'utf8')
      .replace('</head>', '<script src="/extra.js"></script></head>'));
    await page.waitForFunction(() => window.extraRan === true, null, { timeout: 10000 });
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
    // The server first: a browser that fails to close must not leave it running.
    child.kill();
    await browser.close().finally(() => rmSync(root, { recursive: true, force: true }));
  }
});

const LONG = (last) => `---
title: Long
weight: 2
---
## Read this

${Array.from({ length: 60 }, (_, i) => `Paragraph ${i} of a long guide, long enough to scroll past.`).join('\n\n')}

<details><summary>More</summary>

What the summary hides.

</details>

{{ quiz(id="check") }}

${last}
`;

const QUIZ = (prompt) => `title: Check
mode: knowledge
remember: false
questions:
  - id: pick
    type: single
    prompt: ${prompt}
    options:
      - text: Yes
        correct: true
      - text: No
  - id: word
    type: text
    prompt: Say a word.
    accept: [hello]
`;

function themedSite() {
  const root = mkdtempSync(join(tmpdir(), 'tandem-serve-'));
  const files = {
    'site.toml': 'title = "Live"\n',
    'content/_index.md': '---\ntitle: Home\n---\nWelcome.\n',
    'content/guides/_index.md': '---\ntitle: Guides\n---\n',
    'content/guides/long.md': LONG('The last paragraph.'),
    'content/quizzes/_index.md': '---\ntitle: Quizzes\n---\n',
    'content/quizzes/check.yaml': QUIZ('Is this the first prompt?'),
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

test('an edit keeps scroll, focus, open details and unsaved quiz answers', { skip, timeout: 60000 }, async () => {
  const root = themedSite();
  const { child, url } = await serve(root);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 600 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${url}/guides/long/`);
    await page.waitForSelector('form[data-quiz-ready]');
    await page.waitForTimeout(300);

    // The reader opens the details, answers without submitting, types, and scrolls.
    await page.locator('details summary').click();
    await page.locator('input[type="radio"][value="0"]').check();
    const word = page.locator('[data-question="word"] input');
    await word.fill('hel');
    await page.evaluate(() => { window.scrollTo(0, 1200); window.stillHere = true; });
    await word.focus({ preventScroll: true });
    await page.evaluate(() => window.scrollTo(0, 1200));
    const state = () => page.evaluate(() => ({
      scroll: Math.round(window.scrollY),
      open: document.querySelector('details').open,
      picked: document.querySelector('input[type="radio"][value="0"]').checked,
      word: document.querySelector('[data-question="word"] input').value,
      focused: document.activeElement?.closest('[data-question]')?.dataset.question ?? null,
      stillHere: window.stillHere === true,
      ready: document.querySelectorAll('form[data-quiz-ready]').length,
    }));
    const before = await state();
    assert.deepEqual(before, { scroll: 1200, open: true, picked: true, word: 'hel', focused: 'word', stillHere: true, ready: 1 });

    // Text changed below the quiz, then a new element above it: the page is patched both times.
    writeFileSync(join(root, 'content/guides/long.md'), LONG('The edited paragraph.'));
    await page.waitForFunction(() => document.body.innerText.includes('The edited paragraph.'), null, { timeout: 10000 });
    assert.deepEqual(await state(), before, 'nothing the reader did is lost');
    writeFileSync(join(root, 'content/guides/long.md'),
      LONG('The edited paragraph.').replace('## Read this', '## Read this\n\n> A new quote.'));
    await page.waitForFunction(() => document.querySelector('main blockquote')?.textContent.includes('A new quote.'), null, { timeout: 10000 });
    const after = await state();
    assert.ok(Math.abs(after.scroll - before.scroll) < 120, `scrolled from ${before.scroll} to ${after.scroll}`);
    assert.deepEqual({ ...after, scroll: 0 }, { ...before, scroll: 0 });

    // The quiz itself changes: its form is put in anew, enhanced again, with the answers kept.
    writeFileSync(join(root, 'content/quizzes/check.yaml'), QUIZ('Is this the second prompt?'));
    await page.waitForFunction(() => document.body.innerText.includes('Is this the second prompt?'), null, { timeout: 10000 });
    await page.waitForSelector('form[data-quiz-ready]');
    const changed = await state();
    assert.deepEqual({ ...changed, scroll: 0, focused: null }, { ...before, scroll: 0, focused: null });
    // It still scores, once: the answers typed before the edit count.
    await word.fill('hello');
    await page.locator('[data-quiz-submit]').click();
    await page.waitForSelector('[data-quiz-result][data-score="100"]');
    assert.equal(await page.locator('form[data-quiz-ready]').count(), 1);
    assert.deepEqual(errors, []);
  } finally {
    // The server first: a browser that fails to close must not leave it running.
    child.kill();
    await browser.close().finally(() => rmSync(root, { recursive: true, force: true }));
  }
});
