// tandem quiz: scores every form[data-quiz] on the page, in the reader's browser. No dependencies,
// no network, and no words: all text comes from the page (themes/default/templates/partials/quiz.html).
// Contracts: SPEC §3-4 and docs/dev/quiz-contract.md. Under Node, only the exports are used.

// EXTRAS: the features of SPEC §3.1-3.3 but share links (order, match and cloze questions; practice,
// hints, review links, draw; `top` and `otherwise` outcomes). scripts/minify-quiz.mjs writes two
// copies: quiz.min.js with them and quiz-basic.min.js without (EXTRAS = false, so the minifier drops
// every branch it guards); a page whose quizzes use none of them loads the smaller one
// (src/quiz/view.rs `QuizScript`). Share links are in both: they are on unless a quiz turns them off.
const EXTRAS = true;
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
  if (EXTRAS && t == 'order') return list(q.items, (p) => idx(p - 1, q.items)) && new Set(a).size == q.items ? a : undefined;
  if (EXTRAS && t == 'match') return list(q.pairs, (i) => idx(i, q.answers));
  if (EXTRAS && t == 'cloze') return list(q.blanks.length, (f, k) => (q.blanks[k].accept ? typeof f == 'string' && normalize(f) : idx(f, q.blanks[k].options)));
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
  const tops = EXTRAS && outcomes.map((o) => o.top);
  const o = outcomes.find(({ top, when, otherwise }) => (EXTRAS && otherwise) || (!EXTRAS || top == null
    // strictly highest; a tie with another `top` dimension goes to the earliest listed outcome that holds
    || Object.keys(dims).every((d) => d == top || dims[top] > dims[d] || (dims[top] == dims[d] && tops.includes(d))))
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
    if (EXTRAS && drawn && !drawn.includes(q.id)) continue;
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
        } else if (EXTRAS && t != 'scale') {
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

// Share links (docs/quizzes.md "Share links"): the fragment `quiz=ID.HASH.ANSWERS.CHECK` carries the
// answers, one per question in data order and comma-separated (empty: unanswered); a list's entries
// are colon-separated; truefalse is 1 or 0; typed text is percent-encoded, which also escapes `,`,
// `:` and `;`; with `draw`, a question not drawn is `;`. CHECK (FNV-1a of the rest, base 36) catches
// a link cut short or altered on the way.
const SHARE = 'quiz=', SHARE_MAX = 16384;
const fnv = (s) => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
};

/** The share fragment (without `#`) for these answers; `drawn`: with `draw`, the ids of the drawn questions. */
export function encodeShare(data, answers, drawn) {
  const one = (q, a = answerOf(q, answers[q.id])) => (EXTRAS && drawn && !drawn.includes(q.id) ? ';' : a === undefined ? '' : q.type == 'truefalse' ? +a
    : [a].flat().map((x) => (typeof x == 'string' ? encodeURIComponent(x) : x)).join(':'));
  const body = `${data.id}.${data.hash}.${data.questions.map((q) => one(q)).join(',')}`;
  return `${SHARE}${body}.${fnv(body)}`;
}

/** A share fragment read for this quiz: null when it is no share link, else `{ answers, drawn }` (drawn:
 * with `draw`, the ids of the questions the link's reader was given), or `{ error }`
 * with error `damaged` (cut short, altered, too long, or answers that cannot be), `other` (another quiz:
 * `id` says which) or `changed` (this quiz, edited since: its hash differs). */
export function decodeShare(data, fragment) {
  const s = String(fragment).replace(/^#/, '');
  if (!s.startsWith(SHARE)) return null;
  const damaged = { error: 'damaged' }, i = s.indexOf('.'), j = s.indexOf('.', i + 1), k = s.lastIndexOf('.');
  if (s.length > SHARE_MAX || j < 0 || k <= j || fnv(s.slice(SHARE.length, k)) != s.slice(k + 1)) return damaged;
  const id = s.slice(SHARE.length, i);
  if (id != data.id) return { error: 'other', id };
  if (s.slice(i + 1, j) != data.hash) return { error: 'changed' };
  const parts = s.slice(j + 1, k).split(','), answers = {};
  const qs = data.questions.filter((q, n) => parts[n] != ';'), drawn = EXTRAS && data.draw ? qs.map((q) => q.id) : undefined;
  if (parts.length != data.questions.length || qs.length != (data.draw ?? parts.length)) return damaged;
  try {
    data.questions.forEach((q, n) => {
      const p = parts[n] == ';' ? '' : parts[n], list = p.split(':').map((x, b) => (q.type == 'text' || (EXTRAS && q.blanks?.[b].accept) ? decodeURIComponent(x) : x === '' ? NaN : +x));
      if (p === '') return;
      const a = q.type == 'truefalse' ? (p == '1' ? true : p == '0' ? false : NaN)
        : (EXTRAS ? /multiple|order|match|cloze/.test(q.type) : q.type == 'multiple') ? list : list.length == 1 ? list[0] : NaN;
      if (answerOf(q, a) === undefined) throw q;
      answers[q.id] = a;
    });
  } catch {
    return damaged; // a malformed escape, or an answer this quiz cannot have
  }
  return qs.some((q) => q.required && answers[q.id] === undefined) ? damaged : { answers, drawn };
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
  // in page order, after any shuffle; without the questions not drawn
  const order = () => (EXTRAS ? $$('[data-question]').filter((f) => !f.disabled) : $$('[data-question]'));
  const qOf = (f) => data.questions.find((q) => fields[q.id] == f);
  // draw: only the drawn questions take part (the others are hidden and disabled), so from here on
  // data.questions holds just those, in YAML order; the draw is kept with the remembered answers
  const pool = data.questions, ids = EXTRAS && pool.map((q) => q.id);
  let drawn, saved;
  if (data.remember) try { saved = JSON.parse(win.localStorage.getItem(key)); } catch {}
  const deal = (d) => {
    drawn = d;
    data.questions = pool.filter((q) => d.includes(q.id));
    for (const q of pool) fields[q.id].hidden = fields[q.id].disabled = !d.includes(q.id);
  };
  const fresh = () => shuffle(ids.slice()).slice(0, data.draw);
  // last: the result shown; shared: it came from a share link; fromLink: a share link was opened, so
  // nothing is stored until the reader starts again; forgotten: the reader asked to keep nothing
  let at = 0, scored = false, reviewing = false, last = null, shared = false, fromLink = false, forgotten = false;

  const store = (v) => {
    // (a shared result leaves this device's own answers alone, even on "Start again")
    if (data.remember && !(fromLink || (v && forgotten))) {
      try { v ? win.localStorage.setItem(key, JSON.stringify(EXTRAS ? { ...v, drawn } : v)) : win.localStorage.removeItem(key); } catch {}
    }
  };
  // numbers shown in the page's language, when the browser knows it
  const numbers = (lang) => Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  let nf;
  try { nf = numbers(doc.documentElement.lang || []); } catch { nf = numbers([]); }
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
      let sl, vals;
      const a = EXTRAS && (sl = slots(q)).length
        ? ((vals = sl.map((e) => (e.tagName == 'SELECT' ? (e.value ? +e.value : null) : e.value.trim() ? e.value : null))).includes(null) ? undefined : vals)
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
      const a = ans[q.id], picked = [a].flat().map(String);
      let sl;
      if (EXTRAS && (sl = slots(q)).length) for (const e of sl) e.value = a?.[slotOf(e)] ?? '';
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

  // one question's review: `on` shows it; r is its entry in score().questions (knowledge), and `checked`
  // says its Check button asked (practice)
  const review = (q, on, r, checked) => {
    const f = fields[q.id], link = EXTRAS && $('[data-quiz-review]', f);
    attr(f, 'data-result', r ? (r.correct ? 'right' : 'wrong') : null);
    if (EXTRAS) attr(f, 'data-correct', r && checked ? String(r.correct) : null);
    show('[data-quiz-explain]', on, f);
    show('[data-quiz-right]', r?.correct, f);
    show('[data-quiz-wrong]', r && !r.correct, f);
    if (link) link.parentNode.hidden = !r || r.correct; // "Review: <the section it tests>"
    fill(f, { earned: r?.earned, points: q.points });
    for (const o of $$('[data-quiz-option]', f)) {
      const i = $('input', o), ok = q.options ? q.options[i.value]?.correct : String(q.answer) == i.value;
      show('[data-quiz-feedback]', on && i.checked, o);
      attr(o, 'data-mark', !on || !know ? null : i.checked ? (ok ? 'right' : 'wrong') : ok ? 'answer' : null);
    }
  };

  // shows a result (from score(), for these answers) or, with null, clears it
  const paint = (res, ans) => {
    scored = !!res;
    last = res;
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
    for (const q of data.questions) review(q, !!res, res?.questions[q.id]);
    if (EXTRAS) show('[data-quiz-retry]', data.practice && res && Object.values(res.questions).some((r) => !r.correct));
    // a shared result is marked as one, and offers no link of its own
    attr(result, 'data-shared', res && shared ? '' : null);
    show('[data-quiz-shared-note]', res && shared, result);
    const link = $('[data-quiz-share]', result);
    if (link) {
      link.href = res ? `${win.location.href.split('#')[0]}#${encodeShare({ ...data, questions: pool }, ans, drawn)}` : '';
      link.parentNode.hidden = !res || shared;
    }
    show('[data-quiz-share-error]', false, result);
  };

  // practice: a question's Check button scores it alone and shows its review
  const check = (q) => {
    const ans = read();
    if (ans[q.id] === undefined) return mark(q, true), focusQ(fields[q.id]);
    review(q, true, score(data, ans).questions[q.id], true);
  };
  // practice, after scoring: clears the answers that were not fully right, back at the first of them
  const retry = () => {
    const ans = read(), missed = order().filter((f) => !last.questions[qOf(f).id].correct);
    for (const f of missed) delete ans[qOf(f).id];
    paint(null);
    write(ans);
    store({ answers: ans });
    reviewing = false;
    at = order().indexOf(missed[0]);
    layout();
    focusQ(missed[0]);
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
    paint(score(data, ans), ans);
    layout();
    store({ answers: ans, done: true });
    result.focus();
  });
  form.addEventListener('input', (ev) => {
    const ans = read(), f = ev.target.closest('[data-question]'), q = f && qOf(f);
    if (q && ans[q.id] !== undefined) mark(q, false);
    if (!$('[data-quiz-missing]:not([hidden])')) show('[data-quiz-errors]', false);
    shared = false; // from here on, the reader's own answers
    if (scored) paint(null);
    else if (EXTRAS && q && fields[q.id].dataset.correct) review(q, false);
    store({ answers: ans });
  });
  form.addEventListener('click', (ev) => {
    const b = ev.target.closest('button');
    if (b?.matches('[data-quiz-next]')) next();
    if (b?.matches('[data-quiz-prev]')) go(at - 1);
    if (EXTRAS && b?.matches('[data-quiz-check]')) check(data.questions.find((q) => q.id == b.dataset.quizCheck));
    if (EXTRAS && b?.matches('[data-quiz-retry]')) retry();
    if (EXTRAS && b?.matches('[data-quiz-hint]')) {
      const open = b.getAttribute('aria-expanded') != 'true';
      b.setAttribute('aria-expanded', open);
      doc.getElementById(b.getAttribute('aria-controls')).hidden = !open;
    }
    if (b?.matches('[data-quiz-forget]')) {
      store(null);
      forgotten = true;
      show('[data-quiz-forgotten]', true);
    }
    if (b?.matches('[data-quiz-reset]')) {
      form.reset();
      write({});
      store(null);
      shared = false;
      if (fromLink) {
        // the shared answers are gone: so is the link that brought them, and storing resumes
        fromLink = false;
        win.history.replaceState(null, '', win.location.href.split('#')[0]);
      }
      if (EXTRAS && drawn) deal(fresh()), store({ answers: {} }); // a fresh start is a fresh draw (docs/quizzes.md)
      paint(null);
      data.questions.forEach((q) => mark(q, false));
      if (EXTRAS) $$('[data-quiz-hint]').forEach((h) => h.getAttribute('aria-expanded') == 'true' && h.click());
      show('[data-quiz-errors]', false);
      reviewing = false;
      go(0);
    }
  });

  // a share link for this quiz shows its result (and its draw), storing nothing; a bad one says why and
  // scores nothing (a link for another quiz on this page is that quiz's business)
  const opened = data.share ? decodeShare({ ...data, questions: pool }, win.location.hash) : null;
  const refused = opened?.error && !(opened.error == 'other' && $$('form[data-quiz]', doc).some((f) => f.dataset.quiz == opened.id));
  if (opened?.answers) shared = fromLink = true, saved = null;
  if (EXTRAS && data.draw) {
    const d = opened?.drawn || saved?.drawn;
    const kept = Array.isArray(d) && d.length == data.draw && new Set(d).size == d.length && d.every((id) => ids.includes(id));
    deal(kept ? d : fresh());
    if (!kept) store({ answers: saved?.answers || {} });
    show('[data-quiz-draw]', true);
  }
  if (opened?.answers) {
    reviewing = true;
    write(opened.answers);
    paint(score(data, opened.answers), opened.answers);
  }
  // resume: answers, and the result when the reader had one
  if (saved?.answers) {
    write(saved.answers);
    const ans = read();
    // under a share link that could not be opened, no result shows but that link's message
    if (saved.done && !missing(ans).length && !refused) reviewing = true, paint(score(data, ans), ans);
  }
  if (refused) for (const e of $$('[data-quiz-share-error]', result)) e.hidden = e.dataset.quizShareError != opened.error;
  form.noValidate = true;
  result.tabIndex = -1;
  show(EXTRAS ? '[data-quiz-actions],[data-quiz-hint],[data-quiz-check]' : '[data-quiz-actions]', true);
  $$('[data-quiz-submit]').forEach((b) => (b.disabled = false));
  layout();
  form.dataset.quizReady = '';
  if (opened?.answers || refused) result.focus();
}

if (typeof document != 'undefined') {
  for (const f of document.querySelectorAll('form[data-quiz]:not([data-quiz-ready])')) {
    try { enhance(f); } catch (e) { console.error(e); }
  }
}
