// Unit tests of the quiz scorer (SPEC §3, docs/dev/quiz-contract.md §2-3).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { score, normalize, outcomeOf, answerOf, shuffle } from '../../themes/default/static/quiz.js';
import { question as q, knowledgeQuiz, assessmentQuiz, when, top, otherwise } from './helpers.mjs';

describe('normalize', () => {
  test('drops accents, in precomposed and decomposed form', () => {
    assert.equal(normalize('Bóundáries'), 'boundaries');
    assert.equal(normalize('Ångström'), 'angstrom');
    assert.equal(normalize('cafe\u0301'), normalize('café'));
    assert.equal(normalize('naïve façade'), 'naive facade');
  });
  test('lowercases after dropping marks', () => {
    assert.equal(normalize('BOUNDARIES'), 'boundaries');
    assert.equal(normalize('İstanbul'), 'istanbul'); // I + combining dot: the dot goes first
    assert.equal(normalize('ΣΟΦΊΑ'), 'σοφια');
  });
  test('trims and collapses whitespace, Unicode spaces included', () => {
    assert.equal(normalize('  two   words\t\n'), 'two words');
    assert.equal(normalize('\u00a0a\u2003\u3000b\u2028'), 'a b');
    assert.equal(normalize('a\r\n\u0085b'), 'a b');
    assert.equal(normalize('   '), '');
  });
  test('keeps what is not a mark, space or case', () => {
    assert.equal(normalize('straße'), 'straße');
    assert.equal(normalize("self-care, isn't it?"), "self-care, isn't it?");
  });
});

describe('knowledge: single', () => {
  const data = knowledgeQuiz([q('q1', 'single', { options: [false, true, false], points: 2 })]);
  test('the correct option earns the points', () => {
    const r = score(data, { q1: 1 });
    assert.deepEqual(r.questions, { q1: { correct: true, earned: 2 } });
    assert.equal(r.earned, 2);
    assert.equal(r.possible, 2);
    assert.equal(r.score, 100);
  });
  test('a wrong option earns nothing', () => {
    assert.deepEqual(score(data, { q1: 0 }).questions.q1, { correct: false, earned: 0 });
  });
  test('unanswered and invalid answers earn nothing', () => {
    for (const a of [undefined, 3, -1, 1.5, '1', null, [1], true]) {
      const r = score(data, a === undefined ? {} : { q1: a });
      assert.deepEqual(r.questions.q1, { correct: false, earned: 0 }, `answer ${JSON.stringify(a)}`);
      assert.equal(r.possible, 2);
    }
  });
});

describe('knowledge: multiple', () => {
  const opts = [true, false, true, false];
  const all = knowledgeQuiz([q('q1', 'multiple', { options: opts, points: 2 })]);
  const part = knowledgeQuiz([q('q1', 'multiple', { options: opts, points: 2, partial: true })]);
  test('all or nothing: exactly the correct set, in any order', () => {
    assert.deepEqual(score(all, { q1: [2, 0] }).questions.q1, { correct: true, earned: 2 });
    assert.deepEqual(score(all, { q1: [0, 2, 2] }).questions.q1, { correct: true, earned: 2 });
    assert.deepEqual(score(all, { q1: [0] }).questions.q1, { correct: false, earned: 0 });
    assert.deepEqual(score(all, { q1: [0, 1, 2] }).questions.q1, { correct: false, earned: 0 });
    assert.deepEqual(score(all, { q1: [] }).questions.q1, { correct: false, earned: 0 });
  });
  test('partial credit: points × max(0, right − wrong) / correct count', () => {
    const e = (a) => score(part, { q1: a }).questions.q1;
    assert.deepEqual(e([0]), { correct: false, earned: 1 });
    assert.deepEqual(e([0, 1]), { correct: false, earned: 0 });
    assert.deepEqual(e([0, 1, 2]), { correct: false, earned: 1 });
    assert.deepEqual(e([1, 3]), { correct: false, earned: 0 });
    assert.deepEqual(e([0, 2]), { correct: true, earned: 2 });
    assert.deepEqual(e([0, 1, 2, 3]), { correct: false, earned: 0 });
  });
  test('partial credit in thirds, as floating point computes it', () => {
    const d = knowledgeQuiz([q('q1', 'multiple', { options: [true, true, true, false], partial: true }),
      q('q2', 'single', { options: [true, false] })]);
    const r = score(d, { q1: [1], q2: 0 });
    assert.equal(r.questions.q1.earned, 1 * 1 / 3);
    assert.equal(r.earned, 1 / 3 + 1);
    assert.equal(r.possible, 2);
    assert.equal(r.score, 100 * (1 / 3 + 1) / 2);
  });
  test('one invalid pick makes the answer unanswered, as in the Rust scorer (contract §5.3)', () => {
    assert.deepEqual(score(all, { q1: [0, 2, 9, -1, '1'] }).questions.q1, { correct: false, earned: 0 });
    assert.deepEqual(answerOf(all.questions[0], [0, 2, 9]), undefined);
    assert.deepEqual(answerOf(all.questions[0], [9, 'x']), undefined);
    assert.deepEqual(answerOf(all.questions[0], [3, 1, 3]), [1, 3]);
  });
});

describe('knowledge: truefalse, text, number', () => {
  test('truefalse compares booleans', () => {
    const d = knowledgeQuiz([q('q1', 'truefalse', { answer: false })]);
    assert.equal(score(d, { q1: false }).questions.q1.correct, true);
    assert.equal(score(d, { q1: true }).questions.q1.correct, false);
    assert.equal(score(d, { q1: 'false' }).questions.q1.correct, false);
    assert.equal(score(d, {}).questions.q1.correct, false);
  });
  test('text: any accepted entry, trimmed, case- and accent-insensitive', () => {
    const d = knowledgeQuiz([q('q1', 'text', { accept: ['boundaries', 'boundary'] })]);
    for (const a of ['boundaries', '  Boundary ', 'BOUNDÁRIES', 'bou\u0301ndary']) {
      assert.equal(score(d, { q1: a }).questions.q1.correct, true, a);
    }
    for (const a of ['boundarie', 'the boundaries', '', 42]) {
      assert.equal(score(d, { q1: a }).questions.q1.correct, false, String(a));
    }
  });
  test('text: inner whitespace collapses', () => {
    const d = knowledgeQuiz([q('q1', 'text', { accept: ['self care'] })]);
    assert.equal(score(d, { q1: ' Self \t  CARE' }).questions.q1.correct, true);
  });
  test('number: within tolerance, bounds included', () => {
    const d = knowledgeQuiz([q('q1', 'number', { answer: 4, tolerance: 0.5 })]);
    const ok = (a) => score(d, { q1: a }).questions.q1.correct;
    assert.equal(ok(4), true);
    assert.equal(ok(4.5), true);
    assert.equal(ok(3.5), true);
    assert.equal(ok(4.51), false);
    assert.equal(ok(3.49), false);
    assert.equal(ok('4'), false);
    assert.equal(ok(NaN), false);
  });
  test('number: tolerance 0 means exactly', () => {
    const d = knowledgeQuiz([q('q1', 'number', { answer: -2.5 })]);
    assert.equal(score(d, { q1: -2.5 }).questions.q1.correct, true);
    assert.equal(score(d, { q1: -2.4 }).questions.q1.correct, false);
  });
});

describe('knowledge: aggregate, pass, outcomes', () => {
  const data = (opts) => knowledgeQuiz([
    q('q1', 'single', { options: [true, false] }),
    q('q2', 'truefalse', { answer: true, points: 2 }),
    q('q3', 'number', { answer: 1, required: false }),
  ], opts);
  test('score = 100 × earned / possible, unanswered optional questions count as possible', () => {
    const r = score(data(), { q1: 0, q2: true });
    assert.equal(r.earned, 3);
    assert.equal(r.possible, 4);
    assert.equal(r.score, 75);
    assert.deepEqual(r.dimensions, { score: 75 });
    assert.deepEqual(Object.keys(r.questions), ['q1', 'q2', 'q3']);
    assert.deepEqual(r.questions.q3, { correct: false, earned: 0 });
  });
  test('the result has the contract shape', () => {
    const r = score(data({ pass: 70 }), { q1: 0, q2: true, q3: 1 });
    assert.deepEqual(r, {
      outcome: null, dimensions: { score: 100 }, earned: 4, possible: 4, score: 100, passed: true,
      questions: { q1: { correct: true, earned: 1 }, q2: { correct: true, earned: 2 }, q3: { correct: true, earned: 1 } },
    });
    assert.deepEqual(Object.keys(r), ['outcome', 'dimensions', 'earned', 'possible', 'score', 'passed', 'questions']);
  });
  test('passed: null without a pass mark, else score >= pass', () => {
    assert.equal(score(data(), { q1: 0 }).passed, null);
    assert.equal(score(data({ pass: 75 }), { q1: 0, q2: true }).passed, true);
    assert.equal(score(data({ pass: 76 }), { q1: 0, q2: true }).passed, false);
    assert.equal(score(data({ pass: 0 }), {}).passed, true);
  });
  test('outcomes read the score dimension', () => {
    const d = data({ outcomes: [when('high', { score: [75, null] }), when('low', { score: [null, 75] })] });
    assert.equal(score(d, { q1: 0, q2: true }).outcome, 'high');
    assert.equal(score(d, { q2: true }).outcome, 'low');
  });
  test('no questions worth anything: score 0, not NaN', () => {
    const r = score(knowledgeQuiz([]), {});
    assert.equal(r.score, 0);
    assert.equal(r.possible, 0);
  });
  test('a scale question in a knowledge quiz is worth nothing', () => {
    const r = score(knowledgeQuiz([q('q1', 'scale', { dimension: 'x' }), q('q2', 'truefalse', { answer: true })]), { q1: 3, q2: true });
    assert.deepEqual(r.questions.q1, { correct: false, earned: 0 });
    assert.equal(r.possible, 1);
    assert.equal(r.score, 100);
  });
});

describe('assessment: sum', () => {
  const data = assessmentQuiz({ c: 'sum', a: 'sum' }, [
    q('q1', 'scale', { dimension: 'c' }),
    q('q2', 'scale', { dimension: 'a', reverse: true }),
    q('q3', 'single', { options: [{ c: 2 }, { a: 2 }, { c: 1, a: 1 }] }),
    q('q4', 'multiple', { options: [{ c: 1 }, { a: 3 }, { c: -1 }] }),
    q('q5', 'scale', { dimension: 'c', weight: 2, min: 0, max: 3 }),
  ]);
  test('scale adds weight × value; reverse uses min + max − value', () => {
    const r = score(data, { q1: 4, q2: 2 });
    assert.deepEqual(r.dimensions, { c: 4, a: 4 });
  });
  test('options add their points to each named dimension', () => {
    assert.deepEqual(score(data, { q3: 2 }).dimensions, { c: 1, a: 1 });
    assert.deepEqual(score(data, { q3: 0 }).dimensions, { c: 2, a: 0 });
    assert.deepEqual(score(data, { q4: [2, 0, 1] }).dimensions, { c: 0, a: 3 });
  });
  test('weighted scale', () => {
    assert.deepEqual(score(data, { q5: 3 }).dimensions, { c: 6, a: 0 });
    assert.deepEqual(score(data, { q1: 5, q2: 5, q3: 1, q4: [0], q5: 0 }).dimensions, { c: 6, a: 3 });
  });
  test('knowledge fields are null and questions empty', () => {
    const r = score(data, { q1: 1 });
    assert.equal(r.earned, null);
    assert.equal(r.possible, null);
    assert.equal(r.score, null);
    assert.equal(r.passed, null);
    assert.deepEqual(r.questions, {});
  });
  test('adds in question order, options in index order', () => {
    const d = assessmentQuiz({ x: 'sum' }, [
      q('q1', 'multiple', { options: [{ x: 0.1 }, { x: 0.2 }, { x: 0.3 }] }),
      q('q2', 'single', { options: [{ x: 1e16 }, { x: -1e16 }] }),
    ]);
    assert.equal(score(d, { q1: [2, 1, 0] }).dimensions.x, 0.1 + 0.2 + 0.3);
    assert.equal(score(d, { q1: [2, 0], q2: 0 }).dimensions.x, 0.1 + 0.3 + 1e16);
  });
});

describe('assessment: mean', () => {
  const data = assessmentQuiz({ c: 'mean', a: 'mean', z: 'mean' }, [
    q('q1', 'scale', { dimension: 'c' }),
    q('q2', 'scale', { dimension: 'c', weight: 3, reverse: true }),
    q('q3', 'single', { options: [{ c: 5 }, { a: 4 }] }),
    q('q4', 'multiple', { options: [{ a: 2 }, { a: 4 }] }),
  ]);
  test('divides by the summed weights of answered questions that can contribute', () => {
    // c: (4 + 3 × (6 − 5)) / (1 + 3)
    assert.equal(score(data, { q1: 4, q2: 5 }).dimensions.c, (4 + 3 * 1) / 4);
  });
  test('an option question weighs 1 for every dimension any of its options names', () => {
    // q3 picked option 1 gives c nothing, but option 0 could have: c counts q3 with weight 1
    const r = score(data, { q1: 4, q3: 1 });
    assert.equal(r.dimensions.c, 4 / 2);
    assert.equal(r.dimensions.a, 4 / 1);
  });
  test('a multiple question weighs 1 however many options are picked', () => {
    assert.equal(score(data, { q4: [0, 1] }).dimensions.a, 6);
    assert.equal(score(data, { q3: 1, q4: [1] }).dimensions.a, (4 + 4) / 2);
  });
  test('unanswered questions do not count; no contributor means 0', () => {
    const r = score(data, { q1: 2 });
    assert.deepEqual(r.dimensions, { c: 2, a: 0, z: 0 });
    assert.deepEqual(score(data, {}).dimensions, { c: 0, a: 0, z: 0 });
  });
  test('a dimension with an option of 0 points still counts the question', () => {
    const d = assessmentQuiz({ c: 'mean' }, [q('q1', 'single', { options: [{ c: 0 }, { c: 4 }] }), q('q2', 'scale', { dimension: 'c' })]);
    assert.equal(score(d, { q1: 0, q2: 4 }).dimensions.c, 2);
  });
});

describe('outcomes', () => {
  const dims = (v) => v;
  test('when: bounds are [min, below)', () => {
    const o = [when('mid', { x: [2, 4] })];
    assert.equal(outcomeOf(o, dims({ x: 2 })), 'mid');
    assert.equal(outcomeOf(o, dims({ x: 3.999 })), 'mid');
    assert.equal(outcomeOf(o, dims({ x: 4 })), null);
    assert.equal(outcomeOf(o, dims({ x: 1.999 })), null);
  });
  test('when: a null bound is open', () => {
    assert.equal(outcomeOf([when('lo', { x: [null, 0] })], { x: -1e9 }), 'lo');
    assert.equal(outcomeOf([when('hi', { x: [0, null] })], { x: 1e9 }), 'hi');
    assert.equal(outcomeOf([when('any', { x: [null, null] })], { x: 5 }), 'any');
  });
  test('when: every dimension must hold', () => {
    const o = [when('both', { x: [3.5, null], y: [3.5, null] })];
    assert.equal(outcomeOf(o, { x: 4, y: 4 }), 'both');
    assert.equal(outcomeOf(o, { x: 4, y: 3 }), null);
  });
  test('when on an unknown dimension never holds; an empty when always does', () => {
    assert.equal(outcomeOf([when('u', { nope: [0, null] })], { x: 1 }), null);
    assert.equal(outcomeOf([{ id: 'all', when: {} }], { x: 1 }), 'all');
  });
  test('the first matching outcome wins', () => {
    const o = [when('a', { x: [0, 10] }), when('b', { x: [5, 10] })];
    assert.equal(outcomeOf(o, { x: 6 }), 'a');
    assert.equal(outcomeOf([o[1], o[0]], { x: 6 }), 'b');
  });
  test('top: the strictly highest dimension', () => {
    const o = [top('c', 'c'), top('a', 'a')];
    assert.equal(outcomeOf(o, { c: 3, a: 2 }), 'c');
    assert.equal(outcomeOf(o, { c: 2, a: 3 }), 'a');
  });
  test('top: ties among top outcomes go to the earliest listed', () => {
    assert.equal(outcomeOf([top('c', 'c'), top('a', 'a')], { c: 3, a: 3 }), 'c');
    assert.equal(outcomeOf([top('a', 'a'), top('c', 'c')], { c: 3, a: 3 }), 'a');
    assert.equal(outcomeOf([top('a', 'a'), top('c', 'c')], { c: 3, a: 3, z: 1 }), 'a');
  });
  test('top: a tie with a dimension no outcome tops is not strictly highest', () => {
    assert.equal(outcomeOf([top('c', 'c')], { c: 3, z: 3 }), null);
    assert.equal(outcomeOf([top('c', 'c'), { id: 'rest', when: {} }], { c: 3, z: 3 }), 'rest');
  });
  test('top and when mix in list order', () => {
    const o = [when('both', { c: [3.5, null], a: [3.5, null] }), top('c', 'c'), top('a', 'a')];
    assert.equal(outcomeOf(o, { c: 4, a: 4 }), 'both');
    assert.equal(outcomeOf(o, { c: 4, a: 3 }), 'c');
    assert.equal(outcomeOf(o, { c: 1, a: 1 }), 'c');
  });
  test('top with when: both must hold (SPEC §3.3)', () => {
    const o = [top('c-high', 'c', { c: [4, null] }), top('a', 'a'), otherwise('rest')];
    assert.equal(outcomeOf(o, { c: 4, a: 3 }), 'c-high');
    assert.equal(outcomeOf(o, { c: 3.5, a: 3 }), 'rest', 'c leads but is not high enough');
    assert.equal(outcomeOf(o, { c: 2, a: 3 }), 'a');
  });
  test('top with when: a tie goes to the earliest listed outcome that holds', () => {
    const o = [top('c', 'c', { a: [5, null] }), top('a', 'a')];
    assert.equal(outcomeOf(o, { c: 4, a: 4 }), 'a', "c's when fails, so the tie is a's");
    assert.equal(outcomeOf(o, { c: 5, a: 5 }), 'c');
    // a tie with a dimension no outcome tops is still no win
    assert.equal(outcomeOf([top('c', 'c', { c: [0, null] })], { c: 3, z: 3 }), null);
  });
  test('otherwise takes every score the others leave', () => {
    const o = [when('lo', { x: [null, 2] }), when('hi', { x: [4, null] }), otherwise('mid')];
    assert.equal(outcomeOf(o, { x: 1 }), 'lo');
    assert.equal(outcomeOf(o, { x: 3 }), 'mid');
    assert.equal(outcomeOf(o, { x: 4 }), 'hi');
    assert.equal(outcomeOf([otherwise('only')], { x: 0 }), 'only');
  });
  test('score() picks the outcome from its dimensions', () => {
    const d = assessmentQuiz({ c: 'mean', a: 'mean' }, [
      q('q1', 'scale', { dimension: 'c' }), q('q2', 'scale', { dimension: 'a', reverse: true }),
    ], [when('both', { c: [3.5, null], a: [3.5, null] }), top('leaning', 'c'), top('apart', 'a')]);
    assert.equal(score(d, { q1: 4, q2: 2 }).outcome, 'both');
    assert.equal(score(d, { q1: 4, q2: 4 }).outcome, 'leaning');
    assert.equal(score(d, { q1: 1, q2: 1 }).outcome, 'apart');
    assert.equal(score(d, { q1: 3, q2: 3 }).outcome, 'leaning');
  });
  test('no outcomes: null', () => {
    assert.equal(score(knowledgeQuiz([]), {}).outcome, null);
  });
});

describe('shuffle', () => {
  test('is a permutation', () => {
    const a = Array.from({ length: 20 }, (_, i) => i);
    const s = shuffle([...a]);
    assert.deepEqual([...s].sort((x, y) => x - y), a);
  });
  test('uses the given random source', () => {
    assert.deepEqual(shuffle([1, 2, 3, 4], () => 0), [2, 3, 4, 1]);
    assert.deepEqual(shuffle([1, 2, 3, 4], () => 0.999), [1, 2, 3, 4]);
  });
});

describe('draw', () => {
  const d = knowledgeQuiz([
    q('a', 'truefalse', { answer: true }), q('b', 'truefalse', { answer: true, points: 3 }), q('c', 'number', { answer: 2 }),
  ], { pass: 50 });
  test('only the drawn questions count, and an answer to another is ignored', () => {
    const r = score(d, { a: true, b: false, c: 2 }, ['a', 'c']);
    assert.deepEqual([r.earned, r.possible, r.score, r.passed], [2, 2, 100, true]);
    assert.deepEqual(Object.keys(r.questions).sort(), ['a', 'c']);
    const s = score(d, { a: false, b: true, c: 2 }, ['b', 'a']);
    assert.deepEqual([s.earned, s.possible, s.score], [3, 4, 75]);
  });
  test('without a draw every question counts', () => {
    const r = score(d, { a: true, b: false, c: 2 });
    assert.deepEqual([r.earned, r.possible], [2, 5]);
  });
});
