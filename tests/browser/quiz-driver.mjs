// Drives one quiz through the SPEC §4 page contract only (form[data-quiz], fieldset[data-question],
// inputs named after the question, data-quiz-submit/-next/-prev/-reset, [data-quiz-result]), and an
// expected-result oracle written from SPEC §3, independent of quiz.js.

/** The quiz's client data, as the page embeds it. */
export const quizData = (form) => form.locator('[data-quiz-data]').evaluate((s) => JSON.parse(s.textContent));

/** What [data-quiz-result] says: { outcome, score, dims: { id: number }, dimCount }. */
export async function readResult(form) {
  return form.locator('[data-quiz-result]').evaluate((r) => {
    const dims = {};
    const els = [...r.querySelectorAll('[data-dimension][data-value]')];
    for (const e of els) dims[e.dataset.dimension] = Number(e.dataset.value);
    return {
      outcome: r.getAttribute('data-outcome'),
      score: r.hasAttribute('data-score') ? Number(r.getAttribute('data-score')) : null,
      dims,
      dimCount: els.length,
    };
  });
}

const css = (s) => JSON.stringify(String(s));
export const field = (form, qid) => form.locator(`[data-question=${css(qid)}]`);

/** Clicks, with the mouse, the label of question `qid`'s input of value `value`. */
export async function clickChoice(form, qid, value) {
  const input = field(form, qid).locator(`input[value=${css(value)}]`);
  // scroll the label into view and wait until it stops moving (the theme scrolls smoothly)
  const at = await input.evaluate(async (i) => {
    const l = i.labels[0];
    if (!l) return null;
    l.scrollIntoView({ block: 'nearest', behavior: 'instant' });
    const frame = () => new Promise((ok) => requestAnimationFrame(ok));
    const where = () => {
      const r = l.getClientRects()[0];
      return r && `${r.x},${r.y}`;
    };
    let last = where();
    for (let n = 0; n < 120 && last; n++) {
      await frame();
      const now = where();
      if (now === last) {
        const r = l.getClientRects()[0];
        return { x: r.x + Math.min(r.width / 2, 24), y: r.y + r.height / 2 };
      }
      last = now;
    }
    return null;
  });
  if (!at) throw new Error(`question ${qid}, value ${value}: no visible label to click`);
  await form.page().mouse.click(at.x, at.y);
}

/** Answers one question with the mouse (text and number: a click in the field, then typing). */
export async function answerWithMouse(form, q, a) {
  if (a === undefined) return;
  if (q.type === 'text' || q.type === 'number') {
    const input = field(form, q.id).locator('input');
    await input.click();
    await input.press('Control+a');
    await input.pressSequentially(String(a));
    return;
  }
  if (q.type === 'multiple') {
    for (const i of a) await clickChoice(form, q.id, i);
    return;
  }
  await clickChoice(form, q.id, a);
}

/** Answers every question of `answers` with the mouse, paging through a step display. */
export async function answerAll(form, data, answers) {
  const byId = Object.fromEntries(data.questions.map((q) => [q.id, q]));
  if (data.display !== 'step') {
    for (const q of data.questions) await answerWithMouse(form, q, answers[q.id]);
    return;
  }
  for (let n = 0; n < data.questions.length; n++) {
    const visible = form.locator('[data-question]:visible');
    if ((await visible.count()) !== 1) throw new Error('step display should show exactly one question');
    const qid = await visible.getAttribute('data-question');
    await answerWithMouse(form, byId[qid], answers[qid]);
    const next = form.locator('[data-quiz-next]');
    if (!(await next.isVisible())) break;
    await next.click();
  }
}

/** Sets answers straight in the DOM (with input events), for tests about what follows, not how. */
export const setAnswers = (form, answers) => form.evaluate((f, ans) => {
  for (const [qid, a] of Object.entries(ans)) {
    const fs = [...f.querySelectorAll('[data-question]')].find((e) => e.dataset.question === qid);
    for (const i of fs.querySelectorAll('input')) {
      if (/radio|checkbox/.test(i.type)) i.checked = [a].flat().map(String).includes(i.value);
      else i.value = String(a);
      i.dispatchEvent(new Event('input', { bubbles: true }));
    }
  }
}, answers);

export const submit = (form) => form.locator('[data-quiz-submit]').click();

/**
 * Submits whatever state the quiz is in: in step display, pages forward with next until submit
 * shows (or next stays put on an unanswered question, which it then flags).
 */
export async function finish(form) {
  const sub = form.locator('[data-quiz-submit]'), next = form.locator('[data-quiz-next]');
  for (let n = 0; n < 500 && !(await sub.isVisible()); n++) {
    const before = await form.locator('[data-question]:visible').getAttribute('data-question');
    await next.click();
    if ((await form.locator('[data-question]:visible').getAttribute('data-question')) === before) return;
  }
  await sub.click();
}

/**
 * Answer sets derived from the client data. 'mixed': a spread of values, right and wrong;
 * 'high': every scale at its maximum, every knowledge question right; 'low': every scale at its
 * minimum, first options, wrong answers.
 */
export function answersFor(data, pattern) {
  const out = {};
  data.questions.forEach((q, i) => {
    const right = pattern === 'high' || (pattern === 'mixed' && i % 3 !== 1);
    switch (q.type) {
      case 'scale':
        out[q.id] = pattern === 'high' ? q.max : pattern === 'low' ? q.min : q.min + (i * 2 % (q.max - q.min + 1));
        break;
      case 'single': {
        const c = q.options.findIndex((o) => o.correct);
        out[q.id] = data.mode === 'knowledge'
          ? (right ? c : (c + 1) % q.options.length)
          : pattern === 'high' ? q.options.length - 1 : pattern === 'low' ? 0 : i % q.options.length;
        break;
      }
      case 'multiple': {
        const correct = q.options.map((o, j) => (o.correct ? j : -1)).filter((j) => j >= 0);
        const wrong = q.options.map((o, j) => (o.correct ? -1 : j)).filter((j) => j >= 0);
        if (data.mode !== 'knowledge') {
          out[q.id] = pattern === 'high' ? q.options.map((_, j) => j) : pattern === 'low' ? [0] : [i % q.options.length];
          break;
        }
        out[q.id] = pattern === 'high' ? correct
          : pattern === 'low' ? [wrong[0]]
          : [...correct.slice(0, Math.max(1, correct.length - 1)), ...(i % 2 ? wrong.slice(0, 1) : [])];
        break;
      }
      case 'truefalse':
        out[q.id] = right ? q.answer : !q.answer;
        break;
      case 'text':
        out[q.id] = right ? q.accept[0].toUpperCase() : 'not the answer';
        break;
      case 'number':
        out[q.id] = right ? q.answer : q.answer + (q.tolerance || 0) + 1;
        break;
    }
  });
  return out;
}

const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim().split(/\s+/u).join(' ');

/** The result SPEC §3 defines for these answers: { outcome, score, dims }; with `drawn` (ids,
 * SPEC §3.2), only those questions count. */
export function expected(data, answers, drawn) {
  const dims = {};
  let score = null;
  if (data.mode === 'knowledge') {
    let earned = 0, possible = 0;
    for (const q of data.questions) {
      if (q.type === 'scale' || (drawn && !drawn.includes(q.id))) continue;
      possible += q.points;
      const a = answers[q.id];
      if (a === undefined) continue;
      if (q.type === 'single') earned += q.options[a].correct ? q.points : 0;
      else if (q.type === 'truefalse') earned += a === q.answer ? q.points : 0;
      else if (q.type === 'text') earned += q.accept.includes(fold(a)) ? q.points : 0;
      else if (q.type === 'number') earned += Math.abs(a - q.answer) <= (q.tolerance || 0) ? q.points : 0;
      else if (q.type === 'multiple') {
        const n = q.options.filter((o) => o.correct).length;
        const right = a.filter((j) => q.options[j].correct).length, wrong = a.length - right;
        if (right === n && wrong === 0) earned += q.points;
        else if (q.partial) earned += q.points * Math.max(0, right - wrong) / n;
      }
    }
    score = possible ? 100 * earned / possible : 0;
    dims.score = score;
  } else {
    const total = {}, weight = {};
    for (const d of data.dimensions) total[d.id] = weight[d.id] = 0;
    for (const q of data.questions) {
      const a = answers[q.id];
      if (a === undefined) continue;
      if (q.type === 'scale') {
        total[q.dimension] += q.weight * (q.reverse ? q.min + q.max - a : a);
        weight[q.dimension] += q.weight;
      } else {
        const picked = [a].flat().sort((x, y) => x - y);
        for (const j of picked) for (const [d, p] of Object.entries(q.options[j].points)) total[d] += p;
        const named = new Set(q.options.flatMap((o) => Object.keys(o.points)));
        for (const d of named) weight[d] += 1;
      }
    }
    for (const d of data.dimensions) {
      dims[d.id] = d.aggregate === 'mean' ? (weight[d.id] ? total[d.id] / weight[d.id] : 0) : total[d.id];
    }
  }
  // SPEC §3.3: `top` and `when` together must both hold; `otherwise` (last) takes the rest
  const topped = new Set(data.outcomes.map((o) => o.top).filter(Boolean));
  const hit = data.outcomes.find((o) => {
    if (o.otherwise) return true;
    const leads = !o.top || Object.keys(dims).every((d) => d === o.top || dims[o.top] > dims[d] || (dims[o.top] === dims[d] && topped.has(d)));
    return leads && Object.entries(o.when || {}).every(([d, { min, below }]) =>
      (min == null || dims[d] >= min) && (below == null || dims[d] < below));
  });
  return { outcome: hit ? hit.id : null, score, dims };
}

/** Asserts (with node:assert) that the page's result is `exp`, within 1e-9. */
export function assertResult(assert, got, exp, data, where = '') {
  assert.equal(got.outcome, exp.outcome ?? '', `${where} data-outcome`);
  if (data.mode === 'knowledge') {
    assert.ok(got.score !== null && Math.abs(got.score - exp.score) < 1e-9, `${where} data-score ${got.score}, expected ${exp.score}`);
  } else {
    assert.equal(got.score, null, `${where} an assessment has no data-score`);
  }
  assert.equal(got.dimCount, data.dimensions.length, `${where} one [data-dimension][data-value] per dimension`);
  for (const d of data.dimensions) {
    assert.ok(Math.abs(got.dims[d.id] - exp.dims[d.id]) < 1e-9, `${where} dimension ${d.id}: ${got.dims[d.id]}, expected ${exp.dims[d.id]}`);
  }
}
