// Course Markdown in a real browser: the default theme under a strict Content-Security-Policy (no
// violation on any page of the flagship or the course fixture), highlighted code coloured in light
// and dark, callouts, MathML laid out without a script, and a quiz holding code at phone width
// (nothing scrolls the page sideways, the prompt is not crossed by the fieldset's border).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { COURSE_SITE, REPO, axe, buildSite, formatViolations, htmlPages, launch, session } from './helpers.mjs';

const CSP = "default-src 'self'";
let browser, flagship, course, s;

before(async () => {
  browser = await launch();
  flagship = buildSite(REPO);
  course = buildSite(COURSE_SITE);
  s = await session(course.out, { browser, headers: { 'content-security-policy': CSP } });
});

after(async () => {
  await s?.close();
  await browser?.close();
  flagship?.cleanup();
  course?.cleanup();
});

/** Opens `path` and records every CSP violation the page reports (axe needs `bypassCSP: true`:
 * it is injected as an inline script). */
async function openRecording(sess, path, options = {}) {
  const ctx = await sess.ctx(options);
  await ctx.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`));
  });
  const page = await ctx.newPage();
  const console = [];
  page.on('console', (m) => /Content.Security.Policy/i.test(m.text()) && console.push(m.text()));
  await page.goto(sess.origin + path, { waitUntil: 'load' });
  await page.waitForTimeout(50);
  return { page, violations: async () => [...(await page.evaluate(() => window.__csp)), ...console] };
}

test('the CSP harness catches an inline style (a known-bad page)', async () => {
  const { page, violations } = await openRecording(s, '/');
  await page.evaluate(() => {
    const el = document.createElement('div');
    el.setAttribute('style', 'color: red');
    document.body.append(el);
    const script = document.createElement('script');
    script.textContent = '1';
    document.body.append(script);
  });
  await page.waitForTimeout(50);
  assert.ok((await violations()).length >= 1, 'an inline style or script is reported');
  await page.context().close();
});

test("every page of the flagship and of the course fixture runs under default-src 'self'", async () => {
  const flagshipSession = await session(flagship.out, { browser, headers: { 'content-security-policy': CSP } });
  try {
    const found = [];
    for (const [sess, out] of [[flagshipSession, flagship.out], [s, course.out]]) {
      for (const p of htmlPages(out)) {
        const { page, violations } = await openRecording(sess, p.url);
        // quizzes run their script: score one to exercise the result view too
        const submit = page.locator('[data-quiz-submit]').first();
        if (await submit.count()) await submit.click();
        await page.waitForTimeout(30);
        found.push(...(await violations()).map((v) => `${p.url}: ${v}`));
        await page.context().close();
      }
    }
    assert.deepEqual(found, []);
  } finally {
    await flagshipSession.close();
  }
});

for (const colorScheme of ['light', 'dark']) {
  test(`highlighted code has colours of its own, readable in ${colorScheme} (axe 0)`, async () => {
    const { page } = await openRecording(s, '/guides/course/', { colorScheme, bypassCSP: true });
    const colours = await page.evaluate(() => {
      const colour = (sel) => getComputedStyle(document.querySelector(sel)).color;
      return { plain: colour('pre.highlight code'), kw: colour('.hl-kw'), str: colour('.hl-str'), com: colour('.hl-com'), fn: colour('.hl-fn') };
    });
    for (const k of ['kw', 'str', 'com', 'fn']) assert.notEqual(colours[k], colours.plain, `${k} is coloured (${JSON.stringify(colours)})`);
    assert.equal(new Set([colours.kw, colours.str, colours.com, colours.fn]).size, 4, 'four distinct token colours');
    assert.equal(await page.locator('pre.highlight [style]').count(), 0, 'no style attributes');
    const vs = await axe(page);
    assert.deepEqual(formatViolations(`course (${colorScheme})`, vs), []);
    await page.context().close();
  });
}

test('rustdoc hidden lines are hidden until the reader asks, by keyboard', async () => {
  const { page } = await openRecording(s, '/guides/course/');
  const hidden = page.locator('pre[data-hidden-lines] .hl-hidden').first();
  assert.equal(await hidden.isVisible(), false);
  const button = page.locator('.code-toggle');
  await button.focus();
  await page.keyboard.press('Enter');
  assert.equal(await hidden.isVisible(), true);
  assert.equal(await button.getAttribute('aria-pressed'), 'true');
  await page.context().close();
});

test('callouts show their title in words, with an icon beside it', async () => {
  const { page } = await openRecording(s, '/guides/course/');
  const titles = await page.locator('.markdown-alert-title').allTextContents();
  assert.deepEqual(titles, ['Note', 'Tip', 'Important', 'Warning', 'Caution']);
  const icon = await page.evaluate(() => getComputedStyle(document.querySelector('.markdown-alert-title'), '::before').content);
  assert.ok(icon && icon !== 'none', `an icon (${icon})`);
  assert.equal(await page.locator('.markdown-alert[role=note]').count(), 5);
  await page.context().close();
});

test('math is MathML laid out by the browser, with no script', async () => {
  const { page } = await openRecording(s, '/guides/course/', { javaScriptEnabled: false });
  const boxes = await page.evaluate(() => [...document.querySelectorAll('math')].map((m) => {
    const r = m.getBoundingClientRect();
    return { display: m.getAttribute('display'), w: r.width, h: r.height, line: parseFloat(getComputedStyle(m.parentElement).lineHeight) };
  }));
  assert.equal(boxes.length, 2);
  for (const b of boxes) assert.ok(b.w > 20, `laid out: ${JSON.stringify(b)}`);
  const block = boxes.find((b) => b.display === 'block');
  assert.ok(block.h > block.line, `a fraction is taller than a line: ${JSON.stringify(block)}`);
  assert.ok(await page.getByText('costs $5 and $10').isVisible(), 'dollars in prose stay prose');
  await page.context().close();
});

for (const colorScheme of ['light', 'dark']) {
  test(`a quiz with code at 375 px scrolls nothing sideways and keeps its prompt inside the box (${colorScheme})`, async () => {
    const { page } = await openRecording(s, '/quizzes/rust-signatures/', { viewport: { width: 375, height: 800 }, colorScheme, bypassCSP: true });
    const layout = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      view: innerWidth,
      prompts: [...document.querySelectorAll('.quiz-q')].map((f) => {
        const fr = f.getBoundingClientRect(), lr = f.querySelector('legend').getBoundingClientRect();
        return { fieldTop: fr.top, legendTop: lr.top, legendLines: Math.round(lr.height / parseFloat(getComputedStyle(f.querySelector('legend')).lineHeight)) };
      }),
      codeScrolls: [...document.querySelectorAll('.quiz pre')].filter((p) => p.offsetParent).map((p) => p.scrollWidth > p.clientWidth && getComputedStyle(p).overflowX === 'auto'),
      options: [...document.querySelectorAll('.quiz-option')].map((o) => o.getBoundingClientRect().right),
      field: document.querySelector('.quiz-q').getBoundingClientRect().right,
    }));
    assert.ok(layout.page <= layout.view, `the page is ${layout.page}px wide at ${layout.view}px`);
    for (const p of layout.prompts) assert.ok(p.legendTop > p.fieldTop + 1, `the legend sits inside the box: ${JSON.stringify(p)}`);
    assert.ok(layout.prompts[0].legendLines >= 3, 'the long prompt wraps over several lines');
    assert.ok(layout.codeScrolls.every(Boolean), `long code scrolls in its own box: ${layout.codeScrolls}`);
    for (const right of layout.options) assert.ok(right <= layout.field, `options stay in the question box (${right} > ${layout.field})`);
    const vs = await axe(page);
    assert.deepEqual(formatViolations(`quiz at 375 (${colorScheme})`, vs), []);
    await page.context().close();
  });
}
