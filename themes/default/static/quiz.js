// tandem quiz: scores every form[data-quiz] on the page, in the reader's browser. No dependencies,
// no network, and no words: all text comes from the page (themes/default/templates/partials/quiz.html).
// Contracts: SPEC §3-4 and docs/dev/quiz-contract.md. Under Node, only the exports are used.

const NUM = (v) => typeof v == 'number' && isFinite(v);
const WS = '\\p{White_Space}';

/** Text answers, as src/quiz/text.rs: NFKD, drop marks and invisible format characters (soft hyphen,
 * zero-width space, word joiner, U+FEFF), lowercase, trim, collapse Unicode White_Space. */
export const normalize = (s) =>
  String(s).normalize('NFKD').replace(/[\p{M}\xad\u200b\u2060\ufeff]/gu, '').toLowerCase()
    .replace(RegExp(`^${WS}+|${WS}+$`, 'gu'), '').replace(RegExp(`${WS}+`, 'gu'), ' ');

/** The answer to `q` in canonical form (multiple: unique indices, ascending), or undefined when absent or of
 * the wrong shape (an index out of range, a scale value not a whole number in range, a blank text). */
export function answerOf(q, a) {
  const t = q.type, int = Number.isInteger, idx = (i, n = q.options.length) => int(i) && i >= 0 && i < n;
  const list = (n, fits) => (Array.isArray(a) && a.length == n && a.every(fits) ? a : undefined);
  // order: a distinct position 1…n per item; match: an answer index per pair; cloze: per blank a
  // non-blank text or an option index
  if (t == 'order') return list(q.items, (p) => idx(p - 1, q.items)) && new Set(a).size == q.items ? a : undefined;
  if (t == 'match') return list(q.pairs, (i) => idx(i, q.answers));
  if (t == 'cloze') return list(q.blanks.length, (f, k) => (q.blanks[k].accept ? typeof f == 'string' && normalize(f) : idx(f, q.blanks[k].options)));
  if (t == 'multiple') {
    a = Array.isArray(a) && a.every((i) => idx(i)) ? [...new Set(a)].sort((x, y) => x - y) : [];
    return a.length ? a : undefined;
  }
  return (t == 'single' ? idx(a) : t == 'truefalse' ? typeof a == 'boolean' : t == 'text' ? typeof a == 'string' && normalize(a)
    : t == 'scale' ? int(a) && a >= q.min && a <= q.max : NUM(a))
    ? a : undefined;
}

/** The first outcome that holds for these dimension scores, or null (SPEC §3, §3.3). */
export function outcomeOf(outcomes, dims) {
  const tops = new Set(outcomes.map((o) => o.top));
  const o = outcomes.find(({ top, when, otherwise }) => otherwise || (top == null
    // strictly highest; a tie with another `top` dimension goes to the earliest listed outcome that holds
    || Object.keys(dims).every((d) => d == top || dims[top] > dims[d] || (dims[top] == dims[d] && tops.has(d))))
    // and every bound of `when`: min <= value < below; a null bound is open
    && Object.entries(when || {}).every(([d, b]) => (b.min == null || dims[d] >= b.min) && (b.below == null || dims[d] < b.below)));
  return o ? o.id : null;
}

/** Scores answers ({ questionId: value }) against the client data: the result of docs/dev/quiz-contract.md §2.
 * With `drawn` (question ids, SPEC §3.2 `draw`), only those questions count. */
export function score(data, answers = {}, drawn) {
  const know = data.mode == 'knowledge';
  const res = { outcome: null, dimensions: {}, earned: null, possible: null, score: null, passed: null, questions: {} };
  const sum = {}, weight = {};
  for (const d of data.dimensions) sum[d.id] = weight[d.id] = 0;
  let earned = 0, possible = 0;
  for (const q of data.questions) {
    if (drawn && !drawn.includes(q.id)) continue;
    const t = q.type, a = answerOf(q, answers[q.id]);
    if (know) {
      let ok = false, e = 0;
      if (a !== undefined) {
        if (t == 'single') ok = !!q.options[a].correct;
        else if (t == 'truefalse') ok = a === q.answer;
        else if (t == 'text') ok = q.accept.includes(normalize(a));
        else if (t == 'number') ok = Math.abs(a - q.answer) <= (q.tolerance || 0);
        else if (t == 'multiple') {
          let right = 0, wrong = 0, n = 0;
          q.options.forEach((o, i) => {
            if (o.correct) n++;
            if (a.includes(i)) o.correct ? right++ : wrong++;
          });
          ok = right == n && !wrong;
          if (q.partial) e = q.points * Math.max(0, right - wrong) / n;
        } else if (t != 'scale') {
          // order: pairs in their right relative order; match, cloze: right matches or blanks
          const b = q.blanks, n = t == 'order' ? a.length * (a.length - 1) / 2 : a.length;
          let right = 0;
          a.forEach((x, k) => {
            if (t == 'order') for (let j = k + 1; j < a.length; j++) right += x < a[j];
            else right += t == 'match' ? x == k : b[k].accept ? b[k].accept.includes(normalize(x)) : x == b[k].correct;
          });
          ok = t == 'order' ? a.every((p, k) => p == k + 1) : right == n;
          if (q.partial) e = q.points * right / n;
        }
      }
      if (t != 'scale') {
        if (ok && !q.partial) e = q.points; // with partial credit, the formula's own value
        earned += e;
        possible += q.points;
      }
      res.questions[q.id] = { correct: ok, earned: e };
    } else if (a !== undefined) {
      if (t == 'scale') {
        if (q.dimension in sum) {
          sum[q.dimension] += q.weight * (q.reverse ? q.min + q.max - a : a);
          weight[q.dimension] += q.weight;
        }
      } else if (q.options) {
        // picked options add their points in index order; the question counts once (weight 1)
        // towards every dimension that any of its options gives points to
        for (const i of [a].flat()) for (const [d, p] of Object.entries(q.options[i].points)) if (d in sum) sum[d] += p;
        for (const d of new Set(q.options.flatMap((o) => Object.keys(o.points)))) if (d in sum) weight[d]++;
      }
    }
  }
  if (know) {
    const s = possible ? 100 * earned / possible : 0;
    Object.assign(res, { dimensions: { score: s }, earned, possible, score: s, passed: data.pass == null ? null : s >= data.pass });
  } else {
    for (const d of data.dimensions) {
      const w = weight[d.id];
      res.dimensions[d.id] = d.aggregate == 'mean' ? (w ? sum[d.id] / w : 0) : sum[d.id];
    }
  }
  res.outcome = outcomeOf(data.outcomes, res.dimensions);
  return res;
}

/** Shuffles an array in place (Fisher-Yates). */
export function shuffle(a, random = Math.random) {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Turns one server-rendered quiz form into a working quiz. */
export function enhance(form) {
  const doc = form.ownerDocument, win = doc.defaultView;
  const $$ = (sel, el = form) => [...el.querySelectorAll(sel)];
  const $ = (sel, el = form) => el.querySelector(sel);
  const attr = (el, name, v) => (v == null ? el.removeAttribute(name) : el.setAttribute(name, v));
  const show = (sel, on, el) => $$(sel, el).forEach((e) => (e.hidden = !on));
  const data = JSON.parse($('[data-quiz-data]').textContent);
  const know = data.mode == 'knowledge', step = data.display == 'step';
  const key = `tandem-quiz:${data.id}:${data.hash}`;
  const result = $('[data-quiz-result]');
  const fields = {}, dims = {};
  for (const f of $$('[data-question]')) fields[f.dataset.question] = f;
  for (const e of $$('[data-dimension]', result)) dims[e.dataset.dimension] = e;
  const inputs = (q) => $$('input,select', fields[q.id]);
  // order, match, cloze: one control per item or blank, keyed by its YAML index
  const slotOf = (e) => +(e.dataset.item ?? e.dataset.blank);
  const slots = (q) => inputs(q).filter((e) => e.dataset.item || e.dataset.blank).sort((x, y) => slotOf(x) - slotOf(y));
  const order = () => $$('[data-question]').filter((f) => !f.disabled); // in page order, after any shuffle
  const qOf = (f) => data.questions.find((q) => fields[q.id] == f);
  // draw: only the drawn questions take part (the others are hidden and disabled), so from here on
  // data.questions holds just those, in YAML order; the draw is kept with the remembered answers
  const pool = data.questions, ids = pool.map((q) => q.id);
  let drawn, saved;
  if (data.remember) try { saved = JSON.parse(win.localStorage.getItem(key)); } catch {}
  const deal = (d) => {
    drawn = d;
    data.questions = pool.filter((q) => d.includes(q.id));
    for (const q of pool) fields[q.id].hidden = fields[q.id].disabled = !d.includes(q.id);
  };
  const fresh = () => shuffle(ids.slice()).slice(0, data.draw);
  let at = 0, scored = false, reviewing = false;

  const store = (v) => {
    if (data.remember) try { v ? win.localStorage.setItem(key, JSON.stringify({ ...v, drawn })) : win.localStorage.removeItem(key); } catch {}
  };
  let nf; // numbers shown in the page's language, when the browser knows it
  try { nf = Intl.NumberFormat(doc.documentElement.lang || [], { maximumFractionDigits: 1 }); } catch { nf = Intl.NumberFormat([], { maximumFractionDigits: 1 }); }
  const fmt = (n) => (NUM(n) ? nf.format(n) : '');
  const fill = (el, slots) => {
    for (const s of $$('[data-quiz-slot]', el)) if (s.dataset.quizSlot in slots) s.textContent = fmt(slots[s.dataset.quizSlot]);
  };
  const focusQ = (f) => ($('input:checked', f) || $('input,select', f))?.focus();

  // answers as in the contract, read from and written to the form
  const read = () => {
    const ans = {};
    for (const q of data.questions) {
      const t = q.type, ins = inputs(q), v = ins[0]?.value ?? '';
      const on = ins.filter((e) => e.checked).map((e) => e.value);
      const sl = slots(q), vals = sl.map((e) => (e.tagName == 'SELECT' ? (e.value ? +e.value : null) : e.value.trim() ? e.value : null));
      const a = sl.length ? (vals.includes(null) ? undefined : vals)
        : t == 'text' ? (v.trim() ? v : undefined)
        : t == 'number' ? (v ? +v : undefined)
        : !on.length ? undefined
        : t == 'multiple' ? on.map(Number).sort((x, y) => x - y)
        : t == 'truefalse' ? on[0] == 'true' : +on[0];
      if (a !== undefined) ans[q.id] = a;
    }
    return ans;
  };
  const write = (ans) => {
    for (const q of data.questions) {
      const a = ans[q.id], picked = [a].flat().map(String), sl = slots(q);
      if (sl.length) for (const e of sl) e.value = a?.[slotOf(e)] ?? '';
      else for (const e of inputs(q)) /radio|checkbox/.test(e.type) ? (e.checked = a != null && picked.includes(e.value)) : (e.value = a ?? '');
    }
  };

  // required questions: the per-question message (rendered hidden) and aria-invalid
  const mark = (q, bad) => {
    const m = $('[data-quiz-missing]', fields[q.id]);
    if (m) m.hidden = !bad;
    for (const e of inputs(q)) {
      attr(e, 'aria-invalid', bad ? 'true' : null);
      attr(e, 'aria-describedby', bad && m ? m.id : null);
    }
  };
  const missing = (ans) => data.questions.filter((q) => q.required && ans[q.id] === undefined);

  // display: step shows one question at a time; after scoring, every question with its review
  const layout = () => {
    const fs = order(), n = fs.length, paged = step && !reviewing;
    fs.forEach((f, i) => (f.hidden = paged && i != at));
    show('[data-quiz-prev]', paged && at > 0);
    show('[data-quiz-next]', paged && at < n - 1);
    show('[data-quiz-submit]', !paged || at == n - 1);
    for (const p of $$('[data-quiz-progress]')) {
      p.hidden = !paged;
      p.textContent = (form.dataset.msgProgress || '').replace('{n}', at + 1).replace('{total}', n);
    }
  };
  const go = (i) => {
    at = Math.max(0, Math.min(i, order().length - 1));
    layout();
    focusQ(order()[at]);
  };
  const next = () => {
    const f = order()[at], q = qOf(f);
    if (q.required && read()[q.id] === undefined) return mark(q, true), focusQ(f);
    go(at + 1);
  };

  // shows a result (from score()) or, with null, clears it
  const paint = (res) => {
    scored = !!res;
    attr(result, 'data-outcome', res ? res.outcome ?? '' : null);
    attr(result, 'data-score', res && know ? res.score : null);
    show('[data-quiz-result-body]', res, result);
    // matched by value, never by a selector built from data
    for (const o of $$('[data-quiz-outcome]', result)) o.hidden = !res || o.dataset.quizOutcome != (res.outcome ?? '');
    show('[data-quiz-passed]', res?.passed === true, result);
    show('[data-quiz-failed]', res?.passed === false, result);
    if (res) fill(result, res);
    for (const d of data.dimensions) {
      const v = res?.dimensions[d.id], el = (dims[d.id] ||= result.appendChild(doc.createElement('span')));
      el.dataset.dimension = d.id;
      attr(el, 'data-value', res ? v : null);
      const m = $('meter', el);
      if (m) Object.assign(m, { min: d.min, max: d.max, value: res ? v : d.min });
      fill(el, { value: v, min: d.min, max: d.max });
    }
    for (const q of data.questions) {
      const f = fields[q.id], r = res?.questions[q.id];
      attr(f, 'data-result', r ? (r.correct ? 'right' : 'wrong') : null);
      show('[data-quiz-review]', res, f);
      show('[data-quiz-right]', r?.correct, f);
      show('[data-quiz-wrong]', r && !r.correct, f);
      fill(f, { earned: r?.earned, points: q.points });
      for (const o of $$('[data-quiz-option]', f)) {
        const i = $('input', o), ok = q.options ? q.options[i.value]?.correct : String(q.answer) == i.value;
        show('[data-quiz-feedback]', res && i.checked, o);
        attr(o, 'data-mark', !res || !know ? null : i.checked ? (ok ? 'right' : 'wrong') : ok ? 'answer' : null);
      }
    }
  };

  // where the outcomes' cuts fall: tick marks on each dimension's bar (decorative)
  for (const d of data.dimensions) {
    const c = dims[d.id] && $('[data-quiz-cuts]', dims[d.id]);
    const cuts = data.outcomes.flatMap((o) => [o.when?.[d.id]?.min, o.when?.[d.id]?.below]).concat(know ? data.pass : []);
    if (c) for (const v of new Set(cuts)) if (v > d.min && v < d.max) c.appendChild(doc.createElement('span')).style.left = `${100 * (v - d.min) / (d.max - d.min)}%`;
  }

  if (/questions|all/.test(data.shuffle)) {
    const qs = order();
    if (qs.length) qs[0].parentNode.append(...shuffle(qs));
  }
  if (/options|all/.test(data.shuffle)) {
    for (const q of data.questions) {
      const box = q.options && $('[data-quiz-options]', fields[q.id]); // never a scale
      if (box) box.append(...shuffle([...box.children]));
    }
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (step && !reviewing && at < order().length - 1) return next(); // Enter in a field mid-way
    const ans = read(), miss = missing(ans);
    data.questions.forEach((q) => mark(q, miss.includes(q)));
    show('[data-quiz-errors]', miss.length);
    if (miss.length) {
      const f = order().find((f) => miss.includes(qOf(f)));
      if (step && !reviewing) at = order().indexOf(f), layout();
      return focusQ(f);
    }
    reviewing = true;
    paint(score(data, ans));
    layout();
    store({ answers: ans, done: true });
    result.focus();
  });
  form.addEventListener('input', (ev) => {
    const ans = read(), f = ev.target.closest('[data-question]'), q = f && qOf(f);
    if (q && ans[q.id] !== undefined) mark(q, false);
    if (!$('[data-quiz-missing]:not([hidden])')) show('[data-quiz-errors]', false);
    if (scored) paint(null);
    store({ answers: ans });
  });
  form.addEventListener('click', (ev) => {
    const b = ev.target.closest('button');
    if (b?.matches('[data-quiz-next]')) next();
    if (b?.matches('[data-quiz-prev]')) go(at - 1);
    if (b?.matches('[data-quiz-reset]')) {
      form.reset();
      write({});
      store(null);
      if (drawn) deal(fresh()), store({ answers: {} }); // a fresh start is a fresh draw (docs/quizzes.md)
      paint(null);
      data.questions.forEach((q) => mark(q, false));
      show('[data-quiz-errors]', false);
      reviewing = false;
      go(0);
    }
  });

  if (data.draw) {
    const d = saved?.drawn;
    const kept = Array.isArray(d) && d.length == data.draw && new Set(d).size == d.length && d.every((id) => ids.includes(id));
    deal(kept ? d : fresh());
    if (!kept) store({ answers: saved?.answers || {} });
    show('[data-quiz-draw]', true);
  }
  // resume: answers, and the result when the reader had one
  if (saved?.answers) {
    write(saved.answers);
    const ans = read();
    if (saved.done && !missing(ans).length) reviewing = true, paint(score(data, ans));
  }
  form.noValidate = true;
  result.tabIndex = -1;
  show('[data-quiz-actions]', true);
  $$('[data-quiz-submit]').forEach((b) => (b.disabled = false));
  layout();
  form.dataset.quizReady = '';
}

if (typeof document != 'undefined') {
  for (const f of document.querySelectorAll('form[data-quiz]:not([data-quiz-ready])')) {
    try { enhance(f); } catch (e) { console.error(e); }
  }
}
