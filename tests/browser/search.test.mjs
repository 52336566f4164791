// The header search box of the default theme in Chromium, on the built flagship site, under a
// strict Content-Security-Policy: nothing of the index before focus, keyboard use, the live
// region, the no-results state, a 360 px screen, axe-core, and no JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { REPO, axe, buildSite, formatViolations, session } from './helpers.mjs';

const CSP = "default-src 'self'";
let site, s;

before(async () => {
  site = buildSite(REPO);
  s = await session(site.out);
});

after(async () => {
  await s?.close();
  site?.cleanup();
});

/** A page at `path` served with a strict CSP; CSP violations are collected in `page.violations`. */
async function openStrict(path, options = {}) {
  const c = await s.ctx(options);
  await c.route('**/*', async (route) => {
    try {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': CSP } });
    } catch (e) {
      // A fetch still in flight when its test closed the context (a result's fragment, on a
      // loaded machine): nothing is waiting for it any more.
      if (!/disposed|closed/i.test(String(e))) throw e;
    }
  });
  await c.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await c.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(s.origin + path, { waitUntil: 'load' });
  page.requests = requests;
  // The favicon is a data: URL, which `default-src 'self'` blocks (an image, not this test's
  // business); every script, style and fetch of the search must pass.
  page.violations = async () => (await page.evaluate(() => window.__cspViolations)).filter((v) => !v.startsWith('img-src data'));
  return page;
}

const isIndex = (p) => p.startsWith('/search/') || p.endsWith('/search.js');
const status = (page) => page.locator('[data-search-status]').textContent();
const results = (page) => page.locator('[data-search-results] a');

/** Tabs from the top of the page until the search box has focus. */
async function tabToSearch(page) {
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.matches('[data-search-input]'))) return;
  }
  throw new Error('the search box is not reachable with Tab');
}

test('the first page load fetches nothing of the index; focus fetches the script and the manifest only', async () => {
  const page = await openStrict('/guides/');
  await page.waitForTimeout(300);
  assert.deepEqual(page.requests.filter(isIndex), [], 'nothing before focus');
  await tabToSearch(page);
  await page.waitForResponse((r) => r.url().endsWith('/search/index.json'));
  await page.waitForTimeout(200);
  assert.deepEqual(page.requests.filter(isIndex).sort(), ['/search.js', '/search/index.json']);
  assert.deepEqual(await page.violations(), []);
  await page.context().close();
});

test('by keyboard: type, arrows through results, Escape closes, Enter opens the first', async () => {
  const page = await openStrict('/');
  await tabToSearch(page);
  await page.keyboard.type('attach');
  await page.locator('[data-search-results]:not([hidden])').waitFor();
  const n = await results(page).count();
  assert.ok(n >= 2, `${n} results`);
  assert.match(await status(page), /^\d+ matches$/);
  const first = await results(page).first();
  assert.match(await first.locator('.search-title').textContent(), /Attachment/);
  assert.ok((await page.locator('[data-search-results] mark').count()) > 0, 'matched words are marked');
  assert.match((await page.locator('[data-search-results] mark').first().textContent()).toLowerCase(), /^attach/);

  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), await first.getAttribute('href'));
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), await results(page).nth(1).getAttribute('href'));
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  assert.ok(await page.evaluate(() => document.activeElement.matches('[data-search-input]')), 'back in the box');

  await page.keyboard.press('Escape');
  assert.ok(await page.locator('[data-search-results]').isHidden(), 'Escape closes the results');
  assert.ok(await page.evaluate(() => document.activeElement.matches('[data-search-input]')));

  await page.keyboard.type('m');
  await page.locator('[data-search-results]:not([hidden])').waitFor();
  const href = await results(page).first().getAttribute('href');
  await Promise.all([page.waitForURL((u) => u.pathname + u.hash === href), page.keyboard.press('Enter')]);
  assert.match(href, /^\/[^#]+\/(#.+)?$/);
  assert.deepEqual(await page.violations(), []);
  await page.context().close();
});

test('a query with no match shows and announces it; punctuation alone too', async () => {
  const page = await openStrict('/');
  await page.locator('[data-search-input]').focus();
  for (const q of ['qqqzzzxx', '!!! ???']) {
    await page.locator('[data-search-input]').fill(q);
    await page.locator('.search-empty').waitFor();
    assert.equal(await page.locator('.search-empty').textContent(), 'No matches');
    assert.ok(await page.locator('.search-empty').isVisible());
    assert.equal(await status(page), 'No matches');
  }
  await page.locator('[data-search-input]').fill('');
  await page.waitForTimeout(200);
  assert.ok(await page.locator('[data-search-results]').isHidden());
  await page.context().close();
});

test('at 360 px the results fit the screen; axe-core finds nothing, light and dark, results open', async () => {
  for (const colorScheme of ['light', 'dark']) {
    // No CSP here: axe-core is injected as an inline script.
    const page = await s.open('/guides/', { viewport: { width: 360, height: 740 }, colorScheme });
    await page.locator('[data-search-input]').focus();
    await page.locator('[data-search-input]').fill('boundar');
    await page.locator('[data-search-results]:not([hidden])').waitFor();
    const box = await page.locator('[data-search-results]').boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 360, `results at ${box.x}..${box.x + box.width}`);
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(sideways, false, 'no sideways scrolling');
    const violations = await axe(page);
    assert.deepEqual(formatViolations(`${colorScheme} /guides/ with results`, violations), []);
    await page.context().close();
  }
});

test('without JavaScript the search box is hidden', async () => {
  const page = await s.open('/', { javaScriptEnabled: false });
  assert.equal(await page.locator('form[data-search]').count(), 1);
  assert.ok(await page.locator('form[data-search]').isHidden());
  await page.context().close();
});
