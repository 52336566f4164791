// The quiz in a real browser (chromium via playwright-core), on sites built by the tandem binary:
// the fixture site of tests/browser/fixtures/site (every question type, step display, shuffle,
// two quizzes on one guide) and the flagship site's real quiz pages. Results are read only through
// the SPEC §4 contract and compared with what SPEC §3 says those answers score.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_SITE, REPO, TANDEM_BIN, focused, htmlPages, openSites, session } from './helpers.mjs';
import * as Q from './quiz-driver.mjs';

const K = 'form[data-quiz="fixture-knowledge"]';
const S = 'form[data-quiz="fixture-steps"]';
const K_PAGE = '/quizzes/fixture-knowledge/';
const S_PAGE = '/quizzes/fixture-steps/';
const GUIDE = '/guides/two-quizzes/';

// fixture-knowledge: colour 1 point, primes 3 (partial, 3 correct of 5), boiling 1, drink 1, legs 2
// (optional): 8 possible; pass 60; outcomes passed [60, ∞) and again (−∞, 60).
const K_MOUSE = { colour: 1, primes: [0, 1, 2], boiling: false, drink: '  CAFÉ  Latte ', legs: 8 };
// colour right 1, primes 3 × (2 right − 1 wrong) / 3 = 1, boiling 1, drink 1 (accent-, case- and
// space-insensitive), legs 2: 6 of 8
const K_MOUSE_RESULT = { outcome: 'passed', score: 75, dims: { score: 75 } };

// fixture-steps: calm = mean(c1, 6 − c2, option points, c3); energy = 2 × e1 + option points + e2.
const S_ANSWERS = { c1: 4, c2: 2, e1: 4, pick: 1, e2: 2, c3: 6 };
// calm (4 + 4 + 1 + 6) / 4 = 3.75; energy 8 + 4 + 2 = 14 ≥ 9: lively
const S_RESULT = { outcome: 'lively', score: null, dims: { calm: 3.75, energy: 14 } };

let opened, browser, fx, fl;

before(async () => {
  opened = await openSites(FIXTURE_SITE, REPO);
  ({ browser, sessions: [fx, fl] } = opened);
});

after(() => opened?.close());

/** The focused element shows a focus indicator (an outline or a box shadow). */
const assertFocusShown = async (page) => {
  const how = await page.evaluate(() => {
    const e = document.activeElement, cs = getComputedStyle(e);
    const ok = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 1) || cs.boxShadow !== 'none';
    return ok ? '' : `${e.tagName} ${e.name || e.className}: outline ${cs.outlineStyle} ${cs.outlineWidth}`;
  });
  assert.equal(how, '', 'the keyboard focus is visible');
};

/** Every question's state in the form: { qid: checked values | typed value }. */
const formState = (form) => form.evaluate((f) => Object.fromEntries([...f.querySelectorAll('[data-question]')].map((fs) => {
  const ins = [...fs.querySelectorAll('input')];
  const v = /radio|checkbox/.test(ins[0].type) ? ins.filter((i) => i.checked).map((i) => i.value) : ins[0].value;
  return [fs.dataset.question, v];
})));

const quizKeys = (page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tandem-quiz:')).sort());

async function answerAndCheck(form, answers, result) {
  const data = await Q.quizData(form);
  assert.deepEqual(Q.expected(data, answers), result, 'the oracle agrees with the hand-computed result');
  await Q.answerAll(form, data, answers);
  await Q.submit(form);
  Q.assertResult(assert, await Q.readResult(form), result, data);
  return data;
}

test('mouse: every knowledge question type scores as SPEC §3 says', async () => {
  const page = await fx.open(K_PAGE);
  const form = page.locator(K);
  await form.locator('[data-quiz-submit]:enabled').waitFor();
  await answerAndCheck(form, K_MOUSE, K_MOUSE_RESULT);
  // what led there: the picked option's feedback and the other options' silence
  const colour = Q.field(form, 'colour');
  assert.ok(await colour.getByText('Yes, blue.').isVisible(), 'feedback of the picked option shows');
  assert.ok(!(await colour.getByText('Only at sunset.').isVisible()), 'feedback of an option not picked stays hidden');
  assert.ok(await form.locator('[data-quiz-result] [data-quiz-outcome="passed"]').isVisible());
  assert.ok(!(await form.locator('[data-quiz-result] [data-quiz-outcome="again"]').isVisible()));
  const slots = await form.locator('[data-quiz-result] [data-quiz-slot]').evaluateAll((els) =>
    Object.fromEntries(els.map((e) => [e.dataset.quizSlot, e.textContent])));
  assert.equal(slots.earned, '6');
  assert.equal(slots.possible, '8');
  // changing an answer withdraws the result until the next submit
  await Q.clickChoice(form, 'colour', 0);
  const after = await Q.readResult(form);
  assert.equal(after.outcome, null, 'no data-outcome once an answer changed');
  assert.equal(after.dimCount, 0);
});

test('keyboard alone: Tab, arrows, Space and Enter answer and submit; focus moves to the result', async () => {
  const page = await fx.open(K_PAGE);
  const form = page.locator(K);
  await form.locator('[data-quiz-submit]:enabled').waitFor();
  await page.locator('body').focus();
  let steps = 0;
  while (!(await form.evaluate((f) => f.contains(document.activeElement)))) {
    assert.ok(++steps < 80, 'Tab reaches the quiz');
    await page.keyboard.press('Tab');
  }
  const kb = page.keyboard;
  assert.equal(await focused(page), 'radio colour=0', 'the first stop in the quiz is its first question');
  await assertFocusShown(page);
  await kb.press('ArrowDown');
  await kb.press('ArrowDown');
  assert.equal(await focused(page), 'radio colour=2');
  await assertFocusShown(page);
  await kb.press('Tab');
  assert.equal(await focused(page), 'checkbox primes=0');
  await assertFocusShown(page);
  await kb.press('Space');
  await kb.press('Tab');
  await kb.press('Space');
  await kb.press('Tab');
  await kb.press('Tab');
  assert.equal(await focused(page), 'checkbox primes=3');
  await assertFocusShown(page);
  await kb.press('Space');
  await kb.press('Tab');
  await kb.press('Tab');
  assert.equal(await focused(page), 'radio boiling=true');
  await assertFocusShown(page);
  await kb.press('Space');
  await kb.press('ArrowRight');
  assert.equal(await focused(page), 'radio boiling=false');
  await assertFocusShown(page);
  await kb.press('Tab');
  assert.equal(await focused(page), 'text drink=');
  await assertFocusShown(page);
  await kb.type('lattes');
  await kb.press('Tab');
  assert.equal(await focused(page), 'number legs=', 'the optional number is left empty');
  await assertFocusShown(page);
  await kb.press('Tab');
  assert.equal(await focused(page), 'button [data-quiz-submit]');
  await assertFocusShown(page);
  assert.deepEqual(await formState(form), { colour: ['2'], primes: ['0', '1', '3'], boiling: ['false'], drink: 'lattes', legs: '' });
  await kb.press('Enter');
  assert.equal(await focused(page), 'div [data-quiz-result]', 'focus moves to the result');
  await assertFocusShown(page);
  assert.ok(await form.evaluate((f) => f.querySelector('[data-quiz-result]') === document.activeElement));
  // colour wrong 0, primes exact 3, boiling right 1, drink wrong 0, legs unanswered 0: 4 of 8
  const data = await Q.quizData(form);
  const answers = { colour: 2, primes: [0, 1, 3], boiling: false, drink: 'lattes' };
  const exp = { outcome: 'again', score: 50, dims: { score: 50 } };
  assert.deepEqual(Q.expected(data, answers), exp);
  Q.assertResult(assert, await Q.readResult(form), exp, data);
  assert.ok(await form.locator('[data-quiz-result] [data-quiz-outcome="again"]').isVisible());
});

test('a required question left unanswered is named, and nothing is scored', async () => {
  const page = await fx.open(K_PAGE);
  const form = page.locator(K);
  const data = await Q.quizData(form);
  const byId = Object.fromEntries(data.questions.map((q) => [q.id, q]));
  await Q.answerWithMouse(form, byId.colour, 1);
  await Q.answerWithMouse(form, byId.primes, [0]);
  await Q.answerWithMouse(form, byId.legs, 8);
  await Q.submit(form);
  const shown = async () => {
    const out = [];
    for (const q of data.questions) if (await Q.field(form, q.id).locator('[data-quiz-missing]').isVisible()) out.push(q.id);
    return out;
  };
  assert.deepEqual(await shown(), ['boiling', 'drink'], 'exactly the unanswered required questions are marked');
  const r = await Q.readResult(form);
  assert.equal(r.outcome, null, 'no data-outcome');
  assert.equal(r.score, null, 'no data-score');
  assert.equal(r.dimCount, 0, 'no [data-dimension][data-value]');
  assert.ok(await form.locator('[data-quiz-errors]').isVisible(), 'the form says some answers are missing');
  assert.equal(await focused(page), 'radio boiling=true', 'focus goes to the first missing question');
  // the message is tied to the inputs, so a screen reader names it
  const invalid = await Q.field(form, 'drink').locator('input').evaluate((i) => ({
    invalid: i.getAttribute('aria-invalid'),
    described: (i.getAttribute('aria-describedby') || '').split(/\s+/).map((id) => document.getElementById(id)?.textContent.trim()).join(' '),
  }));
  assert.equal(invalid.invalid, 'true');
  assert.ok(invalid.described.length > 0, 'aria-describedby points at the message');
  // answering one clears its mark only
  await Q.answerWithMouse(form, byId.boiling, false);
  assert.deepEqual(await shown(), ['drink']);
  await Q.submit(form);
  assert.equal(await focused(page), 'text drink=');
  assert.equal((await Q.readResult(form)).outcome, null);
  await Q.answerWithMouse(form, byId.drink, 'latte');
  await Q.submit(form);
  assert.deepEqual(await shown(), []);
  assert.ok(!(await form.locator('[data-quiz-errors]').isVisible()));
  // colour 1, primes 3 × 1 / 3 = 1, boiling 1, drink 1, legs 2: 6 of 8
  Q.assertResult(assert, await Q.readResult(form), { outcome: 'passed', score: 75, dims: { score: 75 } }, data);
});

test('answers resume after a reload, with the result; reset clears them and localStorage', async () => {
  const page = await fx.open(K_PAGE);
  const form = page.locator(K);
  const data = await Q.quizData(form);
  const answers = { colour: 2, primes: [1, 3], boiling: true, drink: 'latte', legs: 3 };
  await Q.answerAll(form, data, answers);
  const typed = { colour: ['2'], primes: ['1', '3'], boiling: ['true'], drink: 'latte', legs: '3' };
  assert.deepEqual(await formState(form), typed);
  assert.deepEqual(await quizKeys(page), [`tandem-quiz:fixture-knowledge:${data.hash}`], 'one key: quiz id and content hash');
  await page.reload();
  assert.deepEqual(await formState(form), typed, 'answers are back after a reload');
  assert.equal((await Q.readResult(form)).outcome, null, 'not scored yet');
  await Q.submit(form);
  // colour 0, primes 3 × 2 / 3 = 2, boiling 0, drink 1, legs 0: 3 of 8
  const exp = { outcome: 'again', score: 37.5, dims: { score: 37.5 } };
  assert.deepEqual(Q.expected(data, answers), exp);
  Q.assertResult(assert, await Q.readResult(form), exp, data);
  await page.reload();
  assert.deepEqual(await formState(form), typed);
  Q.assertResult(assert, await Q.readResult(form), exp, data, 'after a reload, the result is back:');
  await form.locator('[data-quiz-reset]').click();
  const empty = { colour: [], primes: [], boiling: [], drink: '', legs: '' };
  assert.deepEqual(await formState(form), empty, 'reset clears every answer');
  const r = await Q.readResult(form);
  assert.equal(r.outcome, null);
  assert.equal(r.dimCount, 0);
  assert.deepEqual(await quizKeys(page), [], 'reset removes the stored answers');
  await page.reload();
  assert.deepEqual(await formState(form), empty, 'and they stay cleared after a reload');
  assert.deepEqual(await quizKeys(page), []);
});

test('an edited quiz starts fresh; with remember: false nothing is stored', async () => {
  // a copy of the fixture site, rebuilt into the same output after each edit
  const root = mkdtempSync(join(tmpdir(), 'tandem-edit-'));
  cpSync(FIXTURE_SITE, root, { recursive: true });
  const yaml = join(root, 'content/quizzes/fixture-knowledge.yaml');
  const out = join(root, 'out');
  const build = () => {
    const r = spawnSync(TANDEM_BIN, ['build', '--root', root, '--output', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
  };
  build();
  const s = await session(out, { browser });
  try {
    const page = await s.open(K_PAGE);
    const form = page.locator(K);
    const data = await Q.quizData(form);
    await Q.answerAll(form, data, { colour: 1, drink: 'latte' });
    await page.reload();
    assert.deepEqual((await formState(form)).colour, ['1'], 'answers resume before the edit');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('Which colour is a clear daytime sky?', 'Which colour is the sky on a clear day?'));
    build();
    await page.reload();
    const edited = await Q.quizData(form);
    assert.notEqual(edited.hash, data.hash, 'the content hash changed');
    assert.deepEqual(await formState(form), { colour: [], primes: [], boiling: [], drink: '', legs: '' }, 'the edited quiz starts fresh');
    await Q.answerAll(form, edited, { colour: 2 });
    assert.ok((await quizKeys(page)).includes(`tandem-quiz:fixture-knowledge:${edited.hash}`));
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('\nmode: knowledge\n', '\nmode: knowledge\nremember: false\n'));
    build();
    await page.reload();
    const forgetful = await Q.quizData(form);
    assert.equal(forgetful.remember, false);
    await Q.answerAll(form, forgetful, { colour: 1, drink: 'latte' });
    assert.ok(!(await quizKeys(page)).some((k) => k.endsWith(`:${forgetful.hash}`)), 'remember: false stores nothing');
    await page.reload();
    assert.deepEqual((await formState(form)).colour, [], 'and resumes nothing');
    assert.deepEqual(s.foreign(), []);
    assert.deepEqual(s.errors, []);
  } finally {
    await s.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('step display: one question at a time, with next, previous and progress', async () => {
  const page = await fx.open(S_PAGE);
  const form = page.locator(S);
  const data = await Q.quizData(form);
  const byId = Object.fromEntries(data.questions.map((q) => [q.id, q]));
  const progress = form.locator('[data-quiz-progress]');
  const visibleQs = () => form.locator('[data-question]:visible').evaluateAll((fs) => fs.map((f) => f.dataset.question));
  const seen = async (n) => {
    const vis = await visibleQs();
    assert.equal(vis.length, 1, 'exactly one question shows');
    assert.equal((await progress.textContent()).trim(), `Question ${n} of 6`);
    assert.ok(await progress.isVisible());
    assert.equal(await form.locator('[data-quiz-prev]').isVisible(), n > 1, 'previous shows after the first');
    assert.equal(await form.locator('[data-quiz-next]').isVisible(), n < 6, 'next shows before the last');
    assert.equal(await form.locator('[data-quiz-submit]').isVisible(), n === 6, 'submit shows on the last');
    return vis[0];
  };
  const first = await seen(1);
  await form.locator('[data-quiz-next]').click();
  assert.equal(await seen(1), first, 'next does not leave an unanswered required question');
  assert.ok(await Q.field(form, first).locator('[data-quiz-missing]').isVisible(), 'and says why');
  await Q.answerWithMouse(form, byId[first], S_ANSWERS[first]);
  await form.locator('[data-quiz-next]').click();
  const second = await seen(2);
  assert.notEqual(second, first);
  await form.locator('[data-quiz-prev]').click();
  assert.equal(await seen(1), first);
  assert.deepEqual((await formState(form))[first], [String(S_ANSWERS[first])], 'going back keeps the answer');
  await form.locator('[data-quiz-next]').click();
  const order = [first];
  for (let n = 2; n <= 6; n++) {
    const qid = await seen(n);
    order.push(qid);
    await Q.answerWithMouse(form, byId[qid], S_ANSWERS[qid]);
    if (n < 6) await form.locator('[data-quiz-next]').click();
  }
  assert.deepEqual([...order].sort(), data.questions.map((q) => q.id).sort(), 'every question came once');
  await Q.submit(form);
  assert.deepEqual(Q.expected(data, S_ANSWERS), S_RESULT);
  Q.assertResult(assert, await Q.readResult(form), S_RESULT, data);
  assert.equal(await focused(page), 'div [data-quiz-result]');
  assert.equal((await visibleQs()).length, 6, 'after scoring every question shows, for review');
  assert.ok(!(await progress.isVisible()));
});

test('step display by keyboard: arrows pick, Enter moves on, and on the last question scores', async () => {
  const page = await fx.open(S_PAGE);
  const form = page.locator(S);
  const data = await Q.quizData(form);
  await page.locator('body').focus();
  for (let n = 0; !(await form.evaluate((f) => f.contains(document.activeElement))); n++) {
    assert.ok(n < 80, 'Tab reaches the quiz');
    await page.keyboard.press('Tab');
  }
  const progress = form.locator('[data-quiz-progress]');
  for (let n = 1; n <= 6; n++) {
    assert.equal((await progress.textContent()).trim(), `Question ${n} of 6`);
    const qid = await form.locator('[data-question]:visible').getAttribute('data-question');
    assert.ok((await focused(page)).startsWith(`radio ${qid}=`), `focus is in the question shown (${qid})`);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    if (n < 6) {
      assert.equal(await form.locator('[data-quiz-missing]:visible').count(), 0, 'Enter mid-way flags nothing');
      assert.equal((await Q.readResult(form)).outcome, null, 'Enter mid-way does not score');
    }
  }
  assert.equal(await focused(page), 'div [data-quiz-result]', 'focus moves to the result');
  // every question got the second choice in page order: scales min + 1, the option whichever came second
  const state = await formState(form);
  const answers = Object.fromEntries(data.questions.map((q) => [q.id, Number(state[q.id][0])]));
  for (const q of data.questions.filter((x) => x.type === 'scale')) assert.equal(answers[q.id], q.min + 1);
  Q.assertResult(assert, await Q.readResult(form), Q.expected(data, answers), data);
  // calm: (2 + 4 + p + 2) / 4 with p the option's calm points; energy: 4 + e + 1
  const pick = [{ calm: 5, energy: 0 }, { calm: 1, energy: 4 }, { calm: 3, energy: 2 }][answers.pick];
  const r = await Q.readResult(form);
  assert.equal(r.dims.calm, (8 + pick.calm) / 4);
  assert.equal(r.dims.energy, 5 + pick.energy);
  assert.equal(r.outcome, 5 + pick.energy >= 9 ? 'lively' : 'steady');
});

test('shuffle: questions and options move between loads, scale points never do', async () => {
  const page = await fx.open(S_PAGE);
  const form = page.locator(S);
  const data = await Q.quizData(form);
  const yaml = data.questions.map((q) => q.id);
  const scales = data.questions.filter((q) => q.type === 'scale').map((q) => q.id);
  const orders = new Set(), optionOrders = new Set();
  for (let load = 0; load < 8; load++) {
    if (load) await page.reload();
    const seen = await form.evaluate((f) => ({
      questions: [...f.querySelectorAll('[data-question]')].map((fs) => fs.dataset.question),
      values: Object.fromEntries([...f.querySelectorAll('[data-question]')].map((fs) =>
        [fs.dataset.question, [...fs.querySelectorAll('input')].map((i) => i.value)])),
    }));
    assert.deepEqual([...seen.questions].sort(), [...yaml].sort(), 'every question is there once');
    assert.deepEqual([...seen.values.pick].sort(), ['0', '1', '2'], 'every option is there once');
    for (const id of scales) {
      const q = data.questions.find((x) => x.id === id);
      const want = Array.from({ length: q.max - q.min + 1 }, (_, i) => String(q.min + i));
      assert.deepEqual(seen.values[id], want, `scale ${id} keeps its order`);
    }
    orders.add(seen.questions.join());
    optionOrders.add(seen.values.pick.join());
  }
  assert.ok(orders.size > 1 || ![...orders].includes(yaml.join()), `questions are shuffled (saw ${[...orders].join(' | ')})`);
  assert.ok(optionOrders.size > 1, `options are shuffled (saw ${[...optionOrders].join(' | ')})`);
});

test('without JavaScript the quizzes read as a plain form and the noscript note shows', async () => {
  for (const [s, path] of [[fx, GUIDE], [fl, '/quizzes/interdependence-basics/']]) {
    const page = await s.open(path, { javaScriptEnabled: false });
    const forms = await page.locator('form[data-quiz]').all();
    assert.ok(forms.length >= 1, `${path}: has a quiz`);
    for (const form of forms) {
      const id = await form.getAttribute('data-quiz');
      const data = await Q.quizData(form);
      const fieldsets = form.locator('fieldset[data-question]');
      assert.equal(await fieldsets.count(), data.questions.length, `${id}: a fieldset per question`);
      for (const q of data.questions) {
        const fs = Q.field(form, q.id);
        assert.equal(await fs.evaluate((e) => e.tagName), 'FIELDSET');
        assert.ok(await fs.isVisible(), `${id}/${q.id}: shows without JavaScript (even in step display)`);
        const legend = fs.locator(':scope > legend');
        assert.equal(await legend.count(), 1, `${id}/${q.id}: has a legend`);
        assert.ok((await legend.innerText()).trim().length > 0, `${id}/${q.id}: the legend has text`);
        const inputs = fs.locator(`input[name=${JSON.stringify(q.id)}]`);
        assert.ok((await inputs.count()) >= 1, `${id}/${q.id}: native inputs named after the question`);
        assert.ok(await inputs.first().isVisible());
        const accessible = await inputs.evaluateAll((ins) => ins.every((i) => i.labels.length > 0 || i.hasAttribute('aria-labelledby')));
        assert.ok(accessible, `${id}/${q.id}: every input is labelled`);
      }
      const note = form.locator('noscript');
      assert.equal(await note.count(), 1, `${id}: a noscript note`);
      const noteText = (await note.evaluate((n) => n.textContent)).replace(/<[^>]+>/g, '').trim();
      assert.ok(noteText.length > 20, `${id}: the note says something`);
      assert.ok((await form.innerText()).includes(noteText), `${id}: the noscript note is shown`);
      // and a radio still works as a radio
      const radio = form.locator('input[type=radio]').first();
      if (await radio.count()) {
        await (await radio.evaluateHandle((i) => i.labels[0])).asElement().click();
        assert.ok(await radio.isChecked(), `${id}: clicking a label picks its option`);
      }
    }
  }
  // with JavaScript the note does not show
  const page = await fx.open(GUIDE);
  for (const form of await page.locator('form[data-quiz]').all()) {
    const noteText = (await form.locator('noscript').evaluate((n) => n.textContent)).replace(/<[^>]+>/g, '').trim();
    assert.ok(!(await form.innerText()).includes(noteText), 'with JavaScript the noscript note is not shown');
  }
});

test('two quizzes on one guide work independently', async () => {
  const page = await fx.open(GUIDE);
  const k = page.locator(K), s = page.locator(S);
  assert.equal(await page.locator('form[data-quiz]').count(), 2);
  assert.equal(await s.locator('[data-question]:visible').count(), 1, 'the step quiz shows one question');
  assert.equal(await k.locator('[data-question]:visible').count(), 5, 'the other shows all of its questions');
  await answerAndCheck(k, K_MOUSE, K_MOUSE_RESULT);
  assert.equal(await focused(page), 'div [data-quiz-result]');
  assert.ok(await k.evaluate((f) => f.contains(document.activeElement)), 'focus is on this quiz\'s result');
  assert.equal((await Q.readResult(s)).outcome, null, 'the other quiz is not scored');
  assert.ok(Object.values(await formState(s)).every((v) => v.length === 0), 'nor answered');
  assert.equal((await s.locator('[data-quiz-progress]').textContent()).trim(), 'Question 1 of 6');
  await answerAndCheck(s, S_ANSWERS, S_RESULT);
  const kd = await Q.quizData(k), sd = await Q.quizData(s);
  Q.assertResult(assert, await Q.readResult(k), K_MOUSE_RESULT, kd, 'the first quiz keeps its result:');
  assert.deepEqual(await quizKeys(page), [`tandem-quiz:fixture-knowledge:${kd.hash}`, `tandem-quiz:fixture-steps:${sd.hash}`]);
  await k.locator('[data-quiz-reset]').click();
  assert.equal((await Q.readResult(k)).outcome, null);
  Q.assertResult(assert, await Q.readResult(s), S_RESULT, sd, 'resetting one leaves the other:');
  assert.deepEqual(await quizKeys(page), [`tandem-quiz:fixture-steps:${sd.hash}`]);
  // a submit of the empty first quiz marks only its own questions
  await Q.submit(k);
  assert.equal(await s.locator('[data-quiz-missing]:visible').count(), 0);
  assert.ok((await k.locator('[data-quiz-missing]:visible').count()) >= 4);
});

test('an alias page redirects to its guide (and the page walkers leave it out of axe)', async () => {
  assert.ok(htmlPages(opened.outs[0], { aliases: true }).some((p) => p.url === '/old/two-quizzes/'));
  assert.ok(!htmlPages(opened.outs[0]).some((p) => p.url === '/old/two-quizzes/'));
  const page = await fx.open('/old/two-quizzes/');
  await page.waitForURL(`${fx.origin}${GUIDE}`);
  assert.equal(await page.locator('form[data-quiz]').count(), 2);
  await page.context().close();
});

/** The flagship site's pages with a quiz: its quiz pages and the guides that embed one. */
function flagshipQuizPages() {
  return htmlPages(opened.outs[1]).filter((p) => /<form[^>]*\sdata-quiz="/.test(readFileSync(p.file, 'utf8')));
}

test('flagship quizzes, on their pages and in guides: results match SPEC §3 for several answer sets', async (t) => {
  const pages = flagshipQuizPages();
  const quizPages = pages.filter((p) => p.url.startsWith('/quizzes/'));
  assert.ok(quizPages.length >= 4, `the flagship site has its quiz pages (found ${pages.map((p) => p.url)})`);
  assert.ok(pages.some((p) => p.url.startsWith('/guides/')), 'and guides that embed a quiz');
  let runs = 0;
  for (const p of pages) {
    const page = await fl.open(p.url);
    const patterns = p.url.startsWith('/quizzes/') ? ['mixed', 'high', 'low'] : ['mixed'];
    for (const form of await page.locator('form[data-quiz]').all()) {
      const data = await Q.quizData(form);
      await form.locator('[data-quiz-submit]:enabled').waitFor({ state: 'attached' });
      for (const pattern of patterns) {
        const answers = Q.answersFor(data, pattern);
        await Q.answerAll(form, data, answers);
        await Q.submit(form);
        const exp = Q.expected(data, answers);
        assert.ok(exp.outcome, `${p.url} ${data.id} ${pattern}: the outcomes cover these answers`);
        Q.assertResult(assert, await Q.readResult(form), exp, data, `${p.url} ${data.id} (${pattern}):`);
        assert.ok(await form.evaluate((f) => f.querySelector('[data-quiz-result]') === document.activeElement), 'focus on the result');
        t.diagnostic(`${p.url} ${data.id} ${pattern}: ${exp.outcome} ${JSON.stringify(exp.dims)}`);
        await form.locator('[data-quiz-reset]').click();
        assert.equal((await Q.readResult(form)).outcome, null, 'reset clears the result');
        runs++;
      }
    }
    await page.context().close();
  }
  assert.ok(runs >= 14);
});

test('no request left the 127.0.0.1 origin, and no page had a script error or a failed request', () => {
  for (const s of [fx, fl]) {
    assert.ok(s.requests.length > 0, 'requests were recorded');
    assert.deepEqual(s.foreign(), []);
    assert.deepEqual(s.errors, []);
  }
});
