// order, match and cloze (SPEC §3.1, §4) in Chromium: answered by mouse and by keyboard alone
// through native selects and text inputs, scored as SPEC §3.1 says (an oracle written here from the
// formulas, not from quiz.js), shown never in their right order, and axe-clean in light and dark.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { VNU, axe, formatViolations, openSites, quizFixtureSite } from './helpers.mjs';
import * as Q from './quiz-driver.mjs';

const PAGE = '/quizzes/new-kinds/';
const FORM = 'form[data-quiz="new-kinds"]';
// The answers, by question: order positions per item (YAML order), match answer indices per left
// item, cloze fills per blank.
const ANSWERS = {
  steps: [2, 1, 3, 4], // 5 of 6 pairs in order, partial: 5/6 of 1
  'strict-order': [1, 2, 3], // exact: 1
  styles: [0, 3, 2], // 2 of 3 right, partial: 2/3 of 1
  'strict-match': [1, 0], // wrong: 0 of 2
  limits: ['  BOUNDARIÉS ', 1], // 1 of 2 blanks, partial: 1.5 of 3
  'one-blank': ['both'], // 1 of 1
};
const EARNED = 5 / 6 + 1 + 2 / 3 + 0 + 1.5 + 1;
const SCORE = (100 * EARNED) / 9;

let opened, s, tmp;

before(async () => {
  tmp = quizFixtureSite('Kinds', { 'new-kinds': 'knowledge-new-kinds.yaml' });
  opened = await openSites(tmp.root);
  [s] = opened.sessions;
});

after(async () => {
  await opened?.close();
  tmp?.cleanup();
});

/** SPEC §3.1's credit for one answer, out of `q.points`. */
function credit(q, a) {
  if (a === undefined) return 0;
  let right, of;
  if (q.type === 'order') {
    of = (a.length * (a.length - 1)) / 2;
    right = 0;
    for (let i = 0; i < a.length; i++) for (let j = i + 1; j < a.length; j++) if (a[i] < a[j]) right++;
    const exact = a.every((p, k) => p === k + 1);
    return q.partial ? (q.points * right) / of : exact ? q.points : 0;
  }
  if (q.type === 'match') {
    right = a.filter((x, k) => x === k).length;
    of = a.length;
  } else {
    const fold = (t) => t.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim();
    right = q.blanks.filter((b, k) => (b.accept ? b.accept.includes(fold(String(a[k]))) : a[k] === b.correct)).length;
    of = q.blanks.length;
  }
  return q.partial ? (q.points * right) / of : right === of ? q.points : 0;
}

test('the oracle agrees with the hand-computed result', async () => {
  const page = await (await s.ctx()).newPage();
  await page.goto(s.origin + PAGE);
  const data = await Q.quizData(page.locator(FORM));
  const earned = data.questions.reduce((sum, q) => sum + credit(q, ANSWERS[q.id]), 0);
  assert.ok(Math.abs(earned - EARNED) < 1e-12, `${earned}`);
  await page.context().close();
});

/** The selects and text inputs of question `qid`, keyed by their data-item / data-blank index. */
const controls = (form, qid) => Q.field(form, qid).locator('select[data-item], select[data-blank], input[data-blank]');

async function readScore(form) {
  const r = await Q.readResult(form);
  return { outcome: r.outcome, score: r.score };
}

test('order, match and cloze by mouse: selects picked, blanks typed, scored as SPEC §3.1 says', async () => {
  const page = await (await s.ctx()).newPage();
  await page.goto(s.origin + PAGE);
  const form = page.locator(FORM);
  await form.locator('[data-quiz-submit]:enabled').waitFor();
  const data = await Q.quizData(form);
  for (const q of data.questions) {
    const els = controls(form, q.id);
    for (let n = 0; n < (await els.count()); n++) {
      const el = els.nth(n);
      const k = Number((await el.getAttribute('data-item')) ?? (await el.getAttribute('data-blank')));
      const a = ANSWERS[q.id][k];
      if ((await el.evaluate((e) => e.tagName)) === 'SELECT') {
        await el.click();
        await el.selectOption(String(a));
      } else {
        await el.click();
        await el.pressSequentially(a);
      }
    }
  }
  await Q.submit(form);
  const got = await readScore(form);
  assert.equal(got.outcome, 'review');
  assert.ok(Math.abs(got.score - SCORE) < 1e-9, `${got.score} ≠ ${SCORE}`);
  // the review marks each question and shows the right answer
  assert.equal(await Q.field(form, 'strict-order').getAttribute('data-result'), 'right');
  assert.equal(await Q.field(form, 'strict-match').getAttribute('data-result'), 'wrong');
  assert.ok(await Q.field(form, 'strict-match').getByText('Limit → Boundary; Request → Ask').isVisible());
  await page.context().close();
});

test('order, match and cloze by keyboard alone: Tab, arrow keys, typing and Enter', async () => {
  const page = await (await s.ctx()).newPage();
  await page.goto(s.origin + PAGE);
  const form = page.locator(FORM);
  await form.locator('[data-quiz-submit]:enabled').waitFor();
  const data = await Q.quizData(form);
  const order = await form.locator('select[data-item], select[data-blank], input[data-blank]').evaluateAll((els) =>
    els.map((e) => ({ q: e.closest('[data-question]').dataset.question, k: +(e.dataset.item ?? e.dataset.blank), select: e.tagName === 'SELECT', values: e.tagName === 'SELECT' ? [...e.options].map((o) => o.value) : [] })));
  assert.equal(order.length, data.questions.reduce((n, q) => n + ANSWERS[q.id].length, 0));
  const isFirst = () => page.evaluate(() => document.activeElement?.matches('select[data-item], input[data-blank]'));
  for (let n = 0; n < 40 && !(await isFirst()); n++) await page.keyboard.press('Tab');
  for (const [i, c] of order.entries()) {
    const a = ANSWERS[c.q][c.k];
    if (c.select) {
      // from "Choose…", one arrow press per option down to the answer's
      const steps = c.values.indexOf(String(a));
      assert.ok(steps > 0, `${c.q}[${c.k}] offers ${a}`);
      for (let n = 0; n < steps; n++) await page.keyboard.press('ArrowDown');
    } else {
      await page.keyboard.type(a);
    }
    assert.equal(await page.evaluate(() => document.activeElement.value), String(a), `${c.q}[${c.k}]`);
    if (i + 1 < order.length) await page.keyboard.press('Tab');
  }
  await page.keyboard.press('Enter'); // in the last text input: submits
  await page.waitForFunction((f) => document.querySelector(f)?.querySelector('[data-quiz-result]').hasAttribute('data-outcome'), FORM);
  const got = await readScore(form);
  assert.ok(Math.abs(got.score - SCORE) < 1e-9, `${got.score} ≠ ${SCORE}`);
  assert.ok(await page.evaluate(() => document.activeElement.matches('[data-quiz-result]')), 'focus moves to the result');
  await page.context().close();
});

test('order items and match answers are never shown in their right order', async () => {
  const page = await (await s.ctx()).newPage();
  await page.goto(s.origin + PAGE);
  const form = page.locator(FORM);
  for (const qid of ['steps', 'strict-order']) {
    const shown = await controls(form, qid).evaluateAll((els) => els.map((e) => +e.dataset.item));
    assert.notDeepEqual(shown, [...shown].sort((x, y) => x - y), `${qid}: ${shown}`);
  }
  const answers = await Q.field(form, 'styles').locator('select').first().evaluate((s) => [...s.options].slice(1).map((o) => +o.value));
  assert.notDeepEqual(answers, [0, 1, 2, 3]);
  await page.context().close();
});

test('axe-core: no violations, light and dark, before and after scoring', async () => {
  const found = [];
  for (const colorScheme of ['light', 'dark']) {
    const page = await (await s.ctx({ colorScheme })).newPage();
    await page.goto(s.origin + PAGE);
    const form = page.locator(FORM);
    await form.locator('[data-quiz-submit]:enabled').waitFor();
    found.push(...formatViolations(`${PAGE} (${colorScheme})`, await axe(page)));
    await Q.submit(form); // nothing answered: the missing questions are flagged
    found.push(...formatViolations(`${PAGE} (${colorScheme}, flagged)`, await axe(page)));
    await page.context().close();
  }
  assert.deepEqual(found, [], found.join('\n'));
});

test('without JavaScript every item, answer and blank reads as a plain, labelled form', async () => {
  const page = await (await s.ctx({ javaScriptEnabled: false })).newPage();
  await page.goto(s.origin + PAGE);
  const form = page.locator(FORM);
  assert.ok(await form.locator('.quiz-noscript').isVisible(), 'the note says scoring needs JavaScript');
  const controls = form.locator('select[data-item], select[data-blank], input[data-blank]');
  assert.equal(await controls.count(), 4 + 3 + 3 + 2 + 2 + 1);
  const unlabelled = await controls.evaluateAll((els) => els.filter((e) => !e.labels?.[0]?.textContent.trim()).length);
  assert.equal(unlabelled, 0);
  for (const n of [0, 5, 12]) assert.ok(await controls.nth(n).isVisible());
  await page.context().close();
});

test('the Nu HTML checker finds no errors on the page', () => {
  const file = join(opened.outs[0], 'quizzes/new-kinds/index.html');
  const r = spawnSync('java', ['-Xss4m', '-jar', VNU, '--errors-only', '--format', 'json', file], { encoding: 'utf8' });
  const messages = JSON.parse(r.stdout || r.stderr).messages;
  assert.deepEqual(messages.map((m) => `${m.lastLine}: ${m.message}`), []);
});

test('no page had a script error or a failed request', () => {
  assert.deepEqual(s.errors, []);
});
