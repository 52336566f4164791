// Teaching features in a real browser, by keyboard (SPEC §3.2, §4): practice mode's Check buttons and
// "Retry the ones I missed" in step display, hints as disclosure buttons, review links to the section
// a missed question tests, share links (opened, refused, storing nothing), "Forget my answers on this
// device", and axe 0 in light and dark on each of these states.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { FIXTURE_SITE, REPO, axe, buildSite, focused, formatViolations, openSites, quizFixtureSite, session } from './helpers.mjs';
import * as Q from './quiz-driver.mjs';

const P = 'form[data-quiz="fixture-practice"]';
const P_PAGE = '/quizzes/fixture-practice/';
const K = 'form[data-quiz="fixture-knowledge"]';
const K_PAGE = '/quizzes/fixture-knowledge/';
const S = 'form[data-quiz="fixture-steps"]';
const GUIDE = '/guides/two-quizzes/';
// fixture-knowledge: colour right 1, primes 3 × (2 right − 1 wrong) / 3 = 1, boiling 1, drink 1: 4 of 8
const K_ANSWERS = { colour: 1, primes: [0, 1, 2], boiling: false, drink: 'latte' };
const K_RESULT = { outcome: 'again', score: 50, dims: { score: 50 } };

let opened, browser, fx, fl;

before(async () => {
  opened = await openSites(FIXTURE_SITE, REPO);
  ({ browser, sessions: [fx, fl] } = opened);
});

after(() => opened?.close());

/** Presses Tab (or Shift+Tab) until the focused element is `what`. */
async function tabTo(page, what, back = false) {
  for (let n = 0; n < 40; n++) {
    if ((await focused(page)) === what) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  assert.fail(`Tab never reached ${what} (at ${await focused(page)})`);
}

const quizKeys = (page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tandem-quiz:')));
const visible = (loc) => loc.isVisible();

async function noViolations(page, where) {
  assert.deepEqual(formatViolations(where, await axe(page)), []);
}

test('practice by keyboard: a hint, a Check per question, then "Retry the ones I missed" in step display', async () => {
  const page = await fx.open(P_PAGE);
  const form = page.locator(P);
  await form.locator('[data-quiz-next]:visible').waitFor();
  const kb = page.keyboard;
  const sky = Q.field(form, 'sky');
  await page.locator('body').focus();
  await tabTo(page, 'radio sky=0');

  // the hint: a disclosure button, closed until asked
  const hint = sky.locator('[data-quiz-hint]');
  const hintText = sky.locator('.quiz-hint-text');
  assert.ok(!(await visible(hintText)), 'the hint is hidden until asked for');
  await tabTo(page, 'button [data-quiz-hint]');
  assert.equal(await hint.getAttribute('aria-expanded'), 'false');
  await kb.press('Enter');
  assert.equal(await hint.getAttribute('aria-expanded'), 'true');
  assert.ok(await visible(hintText), 'Enter opens the hint');
  assert.equal(await hintText.textContent(), 'Look up on a sunny day.');
  assert.equal(await hint.getAttribute('aria-controls'), await hintText.getAttribute('id'));

  // a wrong answer, checked alone: its feedback, verdict and review link, nothing scored
  await tabTo(page, 'radio sky=0', true);
  await kb.press('Space');
  await tabTo(page, 'button [data-quiz-check]');
  await kb.press('Enter');
  assert.equal(await sky.getAttribute('data-correct'), 'false');
  assert.ok(await visible(sky.getByText('Grass is green; the sky is not.')), 'the picked option\'s feedback');
  assert.ok(await visible(sky.getByText('Sunlight scatters, and blue scatters most.')), 'the explanation');
  const review = sky.locator('a[data-quiz-review]');
  assert.ok(await visible(review), 'a missed question links to the section it tests');
  assert.equal(await review.textContent(), 'Review: First, what you know');
  assert.equal(await review.getAttribute('href'), '/guides/two-quizzes/#first-what-you-know');
  assert.equal((await Q.readResult(form)).outcome, null, 'a check scores nothing');
  await noViolations(page, 'practice, checked wrong, hint open (light)');

  // a new answer withdraws the check; the right one checks right
  await tabTo(page, 'radio sky=0', true);
  await kb.press('ArrowDown');
  assert.equal(await focused(page), 'radio sky=1');
  assert.equal(await sky.getAttribute('data-correct'), null, 'changing the answer withdraws the check');
  await tabTo(page, 'button [data-quiz-check]');
  await kb.press('Enter');
  assert.equal(await sky.getAttribute('data-correct'), 'true');
  assert.ok(!(await visible(review)), 'no review link for a right answer');

  // a Check of an unanswered question asks for an answer
  await tabTo(page, 'button [data-quiz-next]');
  await kb.press('Enter');
  const evens = Q.field(form, 'evens');
  assert.equal(await focused(page), 'checkbox evens=0');
  await tabTo(page, 'button [data-quiz-check]');
  await kb.press('Enter');
  assert.ok(await visible(evens.locator('[data-quiz-missing]')), 'Check without an answer asks for one');
  assert.equal(await evens.getAttribute('data-correct'), null);
  assert.equal(await focused(page), 'checkbox evens=0', 'and goes back to the question');
  await kb.press('Space'); // 2 only: half right
  await tabTo(page, 'button [data-quiz-next]');
  await kb.press('Enter');
  assert.equal(await focused(page), 'radio frozen=true');
  await kb.press('Space');
  await tabTo(page, 'button [data-quiz-submit]');
  await kb.press('Enter');
  assert.equal(await focused(page), 'div [data-quiz-result]');
  // sky 1, evens 2 × (1 − 0) / 2 = 1, frozen 1: 3 of 4
  Q.assertResult(assert, await Q.readResult(form), { outcome: 'passed', score: 75, dims: { score: 75 } }, await Q.quizData(form));
  assert.ok(await visible(evens.locator('a[data-quiz-review]')), 'the half-right question links to its section');
  assert.equal(await evens.locator('a[data-quiz-review]').textContent(), 'Review: Afterwards');
  assert.ok(!(await visible(sky.locator('a[data-quiz-review]'))));
  const retry = form.locator('[data-quiz-retry]');
  assert.ok(await visible(retry));
  await noViolations(page, 'practice, scored (light)');

  // retry clears only what was not fully right and goes back to it
  await tabTo(page, 'button [data-quiz-retry]');
  await kb.press('Enter');
  assert.equal(await focused(page), 'checkbox evens=0', 'focus returns to the first missed question');
  assert.equal((await Q.readResult(form)).outcome, null, 'the result is withdrawn');
  const state = await form.evaluate((f) => [...f.querySelectorAll('input:checked')].map((i) => `${i.name}=${i.value}`));
  assert.deepEqual(state, ['sky=1', 'frozen=true'], 'the right answers stay, the missed one is cleared');
  assert.ok(await visible(evens), 'step display shows the missed question');
  assert.ok(!(await visible(sky)) && !(await visible(Q.field(form, 'frozen'))));
  assert.ok(!(await visible(retry)));
  await kb.press('Space');
  await kb.press('Tab');
  await kb.press('Tab');
  await kb.press('Space'); // 2 and 4
  await tabTo(page, 'button [data-quiz-next]');
  await kb.press('Enter');
  await tabTo(page, 'button [data-quiz-submit]');
  await kb.press('Enter');
  Q.assertResult(assert, await Q.readResult(form), { outcome: 'passed', score: 100, dims: { score: 100 } }, await Q.quizData(form));
  assert.ok(!(await visible(retry)), 'nothing left to retry');
  // the hint changed nothing: the score is the score of the answers
  assert.equal(await hint.getAttribute('aria-expanded'), 'true');
});

test('practice states have no axe violations in dark mode either', async () => {
  const page = await fx.open(P_PAGE, { colorScheme: 'dark' });
  const form = page.locator(P);
  await form.locator('[data-quiz-next]:visible').waitFor();
  const sky = Q.field(form, 'sky');
  await sky.locator('[data-quiz-hint]').click();
  await Q.clickChoice(form, 'sky', 0);
  await sky.locator('[data-quiz-check]').click();
  assert.equal(await sky.getAttribute('data-correct'), 'false');
  await noViolations(page, 'practice, checked wrong, hint open (dark)');
});

/** Answers fixture-knowledge, submits, and returns the share link's URL. */
async function shareLink(page) {
  const form = page.locator(K);
  await form.locator('[data-quiz-submit]:enabled').waitFor();
  await Q.setAnswers(form, K_ANSWERS);
  await Q.submit(form);
  Q.assertResult(assert, await Q.readResult(form), K_RESULT, await Q.quizData(form));
  const link = form.locator('a[data-quiz-share]');
  assert.ok(await visible(link), 'a share link after scoring');
  assert.ok(await visible(form.getByText('nothing is sent anywhere', { exact: false })), 'it says nothing is sent');
  return link.evaluate((a) => a.href);
}

test('share by keyboard: the link re-opens the same result, marked shared, and stores nothing', async () => {
  const page = await fx.open(K_PAGE);
  const url = await shareLink(page);
  const here = new URL(page.url()), there = new URL(url);
  assert.equal(there.origin + there.pathname + there.search, here.origin + here.pathname + here.search, 'only the fragment differs');
  assert.match(there.hash, /^#quiz=fixture-knowledge\./);
  assert.ok(url.length < here.href.length + 80, `compact: ${url}`);
  // the reader follows it by keyboard: the address now carries the result
  await tabTo(page, 'a [data-quiz-share]', true);
  await page.keyboard.press('Enter');
  assert.equal(page.url(), url);

  // opened elsewhere (a new browser profile), from the guide that embeds two quizzes
  for (const path of [K_PAGE, GUIDE]) {
    const other = await fx.open(path + there.hash);
    const form = other.locator(K);
    await other.locator(`${K}[data-quiz-ready]`).waitFor();
    const data = await Q.quizData(form);
    Q.assertResult(assert, await Q.readResult(form), K_RESULT, data);
    assert.equal(await form.locator('[data-quiz-result]').getAttribute('data-shared'), '', 'marked as shared');
    assert.ok(await visible(form.locator('[data-quiz-shared-note]')));
    assert.equal(await focused(other), 'div [data-quiz-result]', 'focus is on the shared result');
    assert.deepEqual(await quizKeys(other), [], 'opening a share link writes nothing to localStorage');
    if (path === GUIDE) {
      const steps = other.locator(S);
      assert.equal((await Q.readResult(steps)).outcome, null, 'the other quiz on the page is untouched');
      assert.equal(await steps.locator('[data-quiz-share-error]:visible').count(), 0, 'and says nothing');
    }
    await noViolations(other, `shared result on ${path} (light)`);
    // Start again: the shared answers, and the fragment, are gone
    await tabTo(other, 'button [data-quiz-reset]', true);
    await other.keyboard.press('Enter');
    assert.equal(new URL(other.url()).hash, '');
    assert.equal((await Q.readResult(form)).outcome, null);
    assert.equal(await form.locator('[data-quiz-result]').getAttribute('data-shared'), null);
  }
  const dark = await fx.open(K_PAGE + there.hash, { colorScheme: 'dark' });
  await dark.locator(`${K}[data-quiz-ready]`).waitFor();
  await noViolations(dark, 'shared result (dark)');
});

test('a damaged, foreign, outdated or huge share link says so and scores nothing', async () => {
  const page = await fx.open(K_PAGE);
  const url = await shareLink(page);
  const hash = new URL(url).hash;
  // the same answers under another hash: the quiz "has changed since"
  const changed = await page.evaluate(async (h) => {
    const m = await import('/quiz.min.js');
    const data = JSON.parse(document.querySelector('[data-quiz-data]').textContent);
    const answers = m.decodeShare(data, h).answers;
    return '#' + m.encodeShare({ ...data, hash: 'ffffffff' }, answers);
  }, hash);
  const cases = [
    [K_PAGE, hash.slice(0, -3), 'damaged'],
    [K_PAGE, hash.replace('quiz=fixture-knowledge.', 'quiz=fixture-knowledge.0'), 'damaged'],
    ['/quizzes/fixture-practice/', hash, 'other'],
    [K_PAGE, changed, 'changed'],
  ];
  for (const [path, fragment, error] of cases) {
    const other = await fx.open(path + fragment, error === 'changed' ? { colorScheme: 'dark' } : {});
    const form = other.locator('form[data-quiz][data-quiz-ready]');
    await form.waitFor();
    const shown = await form.locator('[data-quiz-share-error]:visible').evaluateAll((es) => es.map((e) => e.dataset.quizShareError));
    assert.deepEqual(shown, [error], `${error}: ${fragment.slice(0, 60)}`);
    const r = await Q.readResult(form);
    assert.deepEqual([r.outcome, r.score, r.dimCount], [null, null, 0], 'nothing scored');
    assert.equal(await focused(other), 'div [data-quiz-result]', 'focus is on the message');
    assert.deepEqual(await quizKeys(other), []);
    if (error === 'changed' || error === 'other') await noViolations(other, `share error ${error}`);
  }

  // 1 MB: too long for a page load to carry comfortably in a test, so the page's own quiz is
  // enhanced afresh, from the served HTML, under a 1 MB fragment
  const huge = await page.evaluate(async () => {
    history.replaceState(null, '', `#quiz=fixture-knowledge.${'x'.repeat(1 << 20)}`);
    const html = await (await fetch(location.pathname)).text();
    const fresh = new DOMParser().parseFromString(html, 'text/html').querySelector('form[data-quiz]');
    const old = document.querySelector('form[data-quiz]');
    old.replaceWith(document.importNode(fresh, true));
    const { enhance } = await import('/quiz.min.js');
    const form = document.querySelector('form[data-quiz]');
    const started = performance.now();
    enhance(form);
    const r = form.querySelector('[data-quiz-result]');
    return {
      ms: performance.now() - started,
      shown: [...r.querySelectorAll('[data-quiz-share-error]')].filter((e) => !e.hidden).map((e) => e.dataset.quizShareError),
      outcome: r.getAttribute('data-outcome'),
      keys: Object.keys(localStorage).filter((k) => k.startsWith('tandem-quiz:') && localStorage.getItem(k).includes('xxxx')),
    };
  });
  assert.deepEqual(huge.shown, ['damaged']);
  assert.equal(huge.outcome, null);
  assert.deepEqual(huge.keys, []);
});

test('"Forget my answers on this device" removes them and keeps nothing more; every quiz says where answers are kept', async () => {
  const page = await fx.open(K_PAGE);
  const form = page.locator(K);
  await form.locator('[data-quiz-submit]:enabled').waitFor();
  assert.ok(await visible(form.getByText('Your answers are kept in this browser, on this device only', { exact: false })));
  await Q.clickChoice(form, 'colour', 1);
  assert.equal((await quizKeys(page)).length, 1, 'remember: on keeps answers');
  await tabTo(page, 'button [data-quiz-forget]');
  await page.keyboard.press('Enter');
  assert.deepEqual(await quizKeys(page), []);
  assert.ok(await visible(form.locator('[data-quiz-forgotten]')), 'says it is done');
  assert.equal(await form.locator('[data-quiz-forgotten]').getAttribute('role'), 'status');
  await Q.clickChoice(form, 'boiling', 'false');
  assert.deepEqual(await quizKeys(page), [], 'nothing is kept after forgetting');
  assert.ok(await form.locator('input[name="colour"][value="1"]').isChecked(), 'the answers stay on the page');
  await noViolations(page, 'forgotten (light)');

  // the flagship's self-checks keep nothing (the assessment default) and say so
  for (const id of ['relationship-balance', 'attachment-style', 'habit-start']) {
    const p = await fl.open(`/quizzes/${id}/`);
    const f = p.locator(`form[data-quiz="${id}"]`);
    await f.locator('[data-quiz-submit]:enabled').waitFor();
    assert.equal((await Q.quizData(f)).remember, false, id);
    assert.ok(await visible(f.getByText('Your answers are not kept', { exact: false })), id);
    assert.equal(await f.locator('[data-quiz-forget]').count(), 0, `${id}: nothing to forget`);
  }
});

test('with draw, a share link re-opens the same draw and its result', async () => {
  const tmp = quizFixtureSite('Draw', { draw: 'knowledge-draw.yaml' });
  try {
    const site = buildSite(tmp.root);
    const s = await session(site.out, { browser });
    try {
      const shownIds = (form) => form.locator('[data-question]').evaluateAll((fs) => fs.filter((f) => !f.hidden && !f.disabled).map((f) => f.dataset.question).sort());
      const page = await s.open('/quizzes/draw/');
      const form = page.locator('form[data-quiz="draw"]');
      await form.locator('[data-quiz-submit]:enabled').waitFor();
      const ids = await shownIds(form);
      assert.equal(ids.length, 3);
      const right = { boil: 100, legs: 8, sun: 'true', moon: 'false', planet: 1 };
      const wrong = { boil: 90, legs: 6, sun: 'false', moon: 'true', planet: 0 };
      // the first drawn question wrong, the others right
      await Q.setAnswers(form, Object.fromEntries(ids.map((id, n) => [id, (n ? right : wrong)[id]])));
      await Q.submit(form);
      const mine = await Q.readResult(form);
      assert.notEqual(mine.outcome, null);
      const url = await form.locator('a[data-quiz-share]').evaluate((a) => a.href);
      const other = await s.open(new URL(url).pathname + new URL(url).hash);
      const theirs = other.locator('form[data-quiz="draw"][data-quiz-ready]');
      await theirs.waitFor();
      assert.deepEqual(await shownIds(theirs), ids, 'the same questions are drawn');
      assert.deepEqual(await Q.readResult(theirs), mine, 'the same result');
      assert.equal(await theirs.locator('[data-quiz-result]').getAttribute('data-shared'), '');
      assert.deepEqual(await quizKeys(other), []);
    } finally {
      await s.close();
      site.cleanup();
    }
  } finally {
    tmp.cleanup();
  }
});
