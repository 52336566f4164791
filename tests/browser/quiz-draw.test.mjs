// `draw` and the new outcome rules (SPEC §3.2, §3.3, §4) in Chromium, on a site built by the tandem
// binary from the fixtures src/quiz/fixtures/knowledge-draw.yaml (3 of 5 questions) and
// assessment-top-when.yaml (`top` with `when`, and `otherwise`). The draw is read only through the
// page contract: the drawn questions are shown and enabled, the others hidden and disabled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { axe, formatViolations, openSites, quizFixtureSite } from './helpers.mjs';
import * as Q from './quiz-driver.mjs';

const DRAW_PAGE = '/quizzes/draw/';
const DRAW = 'form[data-quiz="draw"]';
const TOP_PAGE = '/quizzes/top-when/';
const TOP = 'form[data-quiz="top-when"]';
// knowledge-draw.yaml's right answers (the values its inputs take).
const RIGHT = { boil: '100', legs: '8', sun: 'true', moon: 'false', planet: '1' };
const POINTS = { boil: 1, legs: 2, sun: 1, moon: 1, planet: 1 };

let opened, s, tmp;

before(async () => {
  tmp = quizFixtureSite('Draw', { draw: 'knowledge-draw.yaml', 'top-when': 'assessment-top-when.yaml' });
  opened = await openSites(tmp.root);
  [s] = opened.sessions;
});

after(async () => {
  await opened?.close();
  tmp?.cleanup();
});

/** Each question's state: { qid: { hidden, disabled } }, in page order. */
const fieldsets = (form) => form.locator('[data-question]').evaluateAll((fs) => fs.map((f) => ({
  id: f.dataset.question, hidden: f.hidden, disabled: f.disabled,
  visible: !!f.getClientRects().length, inputsDisabled: [...f.querySelectorAll('input')].every((i) => i.matches(':disabled')),
})));

/** The drawn questions (shown and enabled), checking that every other one is hidden and disabled. */
async function drawn(form) {
  const all = await fieldsets(form);
  assert.equal(all.length, 5);
  const shown = all.filter((f) => !f.hidden);
  for (const f of shown) assert.ok(f.visible && !f.disabled, `${f.id} is drawn: visible and enabled`);
  for (const f of all.filter((f) => f.hidden)) assert.ok(!f.visible && f.disabled && f.inputsDisabled, `${f.id} is not drawn: hidden and disabled`);
  assert.equal(shown.length, 3, 'draw: 3');
  return shown.map((f) => f.id).sort();
}

const stored = (page) => page.evaluate(() => {
  const k = Object.keys(localStorage).find((k) => k.startsWith('tandem-quiz:draw:'));
  return k && JSON.parse(localStorage.getItem(k));
});

/** Answers the drawn questions right, by keyboard alone: Tab into each, arrows or typing, Enter. */
async function answerByKeyboard(page, form, ids) {
  const at = () => page.evaluate(() => {
    const e = document.activeElement;
    return { q: e.closest?.('[data-question]')?.dataset.question ?? null, type: e.type, value: e.value, submit: e.matches('[data-quiz-submit]') };
  });
  await form.locator('[data-quiz-submit]:enabled').waitFor();
  await page.locator('body').focus();
  const done = new Set();
  for (let n = 0; n < 60 && done.size < ids.length; n++) {
    await page.keyboard.press('Tab');
    const f = await at();
    if (!f.q || done.has(f.q)) continue;
    assert.ok(ids.includes(f.q), `Tab reaches only drawn questions, not ${f.q}`);
    if (f.type === 'number') {
      await page.keyboard.type(RIGHT[f.q]);
    } else {
      // a radio group: Space picks the focused option, each arrow the next one
      await page.keyboard.press('Space');
      for (let k = 0; k < 5 && (await at()).value !== RIGHT[f.q]; k++) await page.keyboard.press('ArrowDown');
    }
    assert.equal((await at()).value, RIGHT[f.q], f.q);
    done.add(f.q);
  }
  assert.equal(done.size, ids.length, 'every drawn question was reached by Tab');
  await page.keyboard.press('Enter');
  await page.waitForFunction((sel) => document.querySelector(sel).querySelector('[data-quiz-result]').hasAttribute('data-outcome'), DRAW);
}

test('each reader gets 3 of the 5 questions, answered by keyboard and scored out of those 3', async () => {
  const page = await (await s.ctx()).newPage();
  await page.goto(s.origin + DRAW_PAGE);
  const form = page.locator(DRAW);
  await form.locator('[data-quiz-submit]:enabled').waitFor();
  const ids = await drawn(form);
  assert.ok(await form.locator('[data-quiz-draw]').isVisible(), 'the page says the questions are drawn');
  assert.match(await form.locator('[data-quiz-draw]').textContent(), /3 of this quiz's 5 questions/);
  assert.deepEqual([...(await stored(page)).drawn].sort(), ids, 'the draw is kept with the answers');
  await answerByKeyboard(page, form, ids);
  const r = await Q.readResult(form);
  assert.deepEqual([r.outcome, r.score], ['passed', 100], `all right: 100% of the drawn questions' ${ids.reduce((n, id) => n + POINTS[id], 0)} points`);
  assert.ok(await page.evaluate(() => document.activeElement.matches('[data-quiz-result]')), 'focus moves to the result');
  const earned = await form.locator('[data-quiz-result] [data-quiz-slot="possible"]').first().textContent();
  assert.equal(Number(earned), ids.reduce((n, id) => n + POINTS[id], 0), 'possible counts the drawn questions only');

  // after a reload: the same questions, their answers and the result
  await page.reload();
  await form.locator('[data-quiz-submit]:enabled').waitFor();
  assert.deepEqual(await drawn(form), ids, 'the same questions after a reload');
  assert.deepEqual([(await Q.readResult(form)).outcome, (await Q.readResult(form)).score], ['passed', 100]);
  await page.context().close();
});

test('a wrong answer scores against the drawn questions only; "Start again" clears and draws a new set', async () => {
  const page = await (await s.ctx()).newPage();
  await page.goto(s.origin + DRAW_PAGE);
  const form = page.locator(DRAW);
  await form.locator('[data-quiz-submit]:enabled').waitFor();
  const ids = await drawn(form);
  // every drawn question right but the first, which gets a wrong answer
  const wrong = { boil: 90, legs: 6, sun: false, moon: true, planet: 0 };
  const answers = Object.fromEntries(ids.map((id, k) => [id, k === 0 ? wrong[id] : RIGHT[id] === 'true' ? true : RIGHT[id] === 'false' ? false : Number(RIGHT[id])]));
  await Q.setAnswers(form, answers);
  await Q.submit(form);
  const possible = ids.reduce((n, id) => n + POINTS[id], 0);
  const r = await Q.readResult(form);
  assert.ok(Math.abs(r.score - (100 * (possible - POINTS[ids[0]])) / possible) < 1e-9, `${r.score}`);
  Q.assertResult(assert, r, Q.expected(await Q.quizData(form), answers, ids), await Q.quizData(form), 'the SPEC oracle');

  // "Start again" by keyboard: answers and result gone, and (sooner or later) other questions
  const sets = new Set([ids.join()]);
  for (let n = 0; n < 40 && sets.size < 2; n++) {
    await form.locator('[data-quiz-reset]').focus();
    await page.keyboard.press('Enter');
    const now = await drawn(form);
    assert.equal((await Q.readResult(form)).outcome, null, 'the result is cleared');
    assert.equal(await form.locator('[data-question]:not([hidden]) input:checked').count(), 0, 'the answers are cleared');
    assert.deepEqual([...(await stored(page)).drawn].sort(), now, 'the new draw is kept');
    sets.add(now.join());
  }
  assert.equal(sets.size, 2, 'a reset draws a new set of questions');
  // and the new set survives a reload
  const last = await drawn(form);
  await page.reload();
  await form.locator('[data-quiz-submit]:enabled').waitFor();
  assert.deepEqual(await drawn(form), last);
  await page.context().close();
});

test('readers draw different sets', async () => {
  const seen = new Set();
  for (let n = 0; n < 12 && seen.size < 3; n++) {
    const page = await (await s.ctx()).newPage();
    await page.goto(s.origin + DRAW_PAGE);
    const form = page.locator(DRAW);
    await form.locator('[data-quiz-submit]:enabled').waitFor();
    seen.add((await drawn(form)).join());
    await page.context().close();
  }
  assert.ok(seen.size >= 3, `${seen.size} different draws in 12 readers`);
});

test('without JavaScript every question reads as a plain form and no draw note shows', async () => {
  const page = await (await s.ctx({ javaScriptEnabled: false })).newPage();
  await page.goto(s.origin + DRAW_PAGE);
  const form = page.locator(DRAW);
  assert.equal(await form.locator('[data-question]:visible').count(), 5);
  assert.ok(!(await form.locator('[data-quiz-draw]').isVisible()));
  await page.context().close();
});

test('top with when, a box around the middle, and otherwise: the result the outcome rules say', async () => {
  const page = await (await s.ctx()).newPage();
  await page.goto(s.origin + TOP_PAGE);
  const form = page.locator(TOP);
  await form.locator('[data-quiz-submit]:enabled').waitFor();
  const data = await Q.quizData(form);
  const all = (rest, company, quiet) => Object.fromEntries(data.questions.map((q) => {
    const v = { rest, company, quiet }[q.dimension];
    return [q.id, q.reverse ? 6 - v : v];
  }));
  for (const [answers, outcome, dims] of [
    [all(3, 3, 3), 'middle', { rest: 9, company: 9, quiet: 9 }],
    [all(4, 3, 3), 'rest', { rest: 12, company: 9, quiet: 9 }],
    [all(3, 4, 4), 'company', { rest: 9, company: 12, quiet: 12 }],
    [all(1, 2, 3), 'steady', { rest: 3, company: 6, quiet: 9 }],
  ]) {
    await Q.setAnswers(form, answers);
    await Q.submit(form);
    const r = await Q.readResult(form);
    assert.deepEqual([r.outcome, r.dims], [outcome, dims]);
    assert.equal(Q.expected(data, answers).outcome, outcome, 'the SPEC oracle agrees');
    assert.ok(await form.locator(`[data-quiz-outcome="${outcome}"]`).isVisible(), `${outcome} is shown`);
  }
  await page.context().close();
});

test('axe-core: no violations, light and dark, drawn, scored and with outcomes', async () => {
  const found = [];
  for (const colorScheme of ['light', 'dark']) {
    for (const [path, sel] of [[DRAW_PAGE, DRAW], [TOP_PAGE, TOP]]) {
      const page = await (await s.ctx({ colorScheme })).newPage();
      await page.goto(s.origin + path);
      const form = page.locator(sel);
      await form.locator('[data-quiz-submit]:enabled').waitFor();
      found.push(...formatViolations(`${path} (${colorScheme})`, await axe(page)));
      await Q.submit(form); // nothing answered: the missing questions are flagged
      found.push(...formatViolations(`${path} (${colorScheme}, flagged)`, await axe(page)));
      const data = await Q.quizData(form);
      await Q.setAnswers(form, Q.answersFor(data, 'high'));
      await Q.submit(form);
      found.push(...formatViolations(`${path} (${colorScheme}, scored)`, await axe(page)));
      await page.context().close();
    }
  }
  assert.deepEqual(found, [], found.join('\n'));
});

test('no page had a script error or a failed request', () => {
  assert.deepEqual(s.errors, []);
});
