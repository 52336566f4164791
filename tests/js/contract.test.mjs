// The shared contract cases (src/quiz/fixtures/contract.json), which the Rust suite runs against
// the reference scorer: quiz.js must give the same normalisation, results and unanswered answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { answerOf, normalize, score } from '../../themes/default/static/quiz.js';
import * as basic from '../../themes/default/static/quiz-basic.min.js';

const fixture = JSON.parse(readFileSync(new URL('../../src/quiz/fixtures/contract.json', import.meta.url), 'utf8'));

/** `expected`'s fields (numbers within 1e-9) hold in `actual`. */
function matches(actual, expected, context) {
  if (typeof expected == 'number') return assert.ok(Math.abs(actual - expected) <= 1e-9, `${context}: ${actual} ≠ ${expected}`);
  if (expected && typeof expected == 'object' && !Array.isArray(expected)) {
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), context);
    for (const [k, v] of Object.entries(expected)) matches(actual[k], v, `${context}.${k}`);
    return;
  }
  assert.deepEqual(actual, expected, context);
}

test('normalisation cases', () => {
  assert.ok(fixture.normalize.length >= 15);
  for (const c of fixture.normalize) {
    assert.equal(normalize(c.input), c.expected, `${JSON.stringify(c.input)}: ${c.why}`);
    assert.equal(basic.normalize(c.input), c.expected, `${JSON.stringify(c.input)}: ${c.why} (quiz-basic.min.js)`);
  }
});

test('some cases are scored with the basic copy too', () => {
  assert.ok(fixture.quizzes.some((q) => q.script == 'quiz-basic.min.js'));
  assert.ok(fixture.quizzes.every((q) => ['quiz.min.js', 'quiz-basic.min.js'].includes(q.script)));
});

for (const quiz of fixture.quizzes) {
  test(`scoring cases: ${quiz.name}`, () => {
    assert.ok(quiz.data, 'the Rust suite fills in the client data (TANDEM_BLESS=1)');
    for (const c of quiz.cases) {
      const context = `${quiz.name}: ${c.name}`;
      if (c.result) matches(score(quiz.data, c.answers, c.drawn), c.result, context);
      for (const id of c.unanswered ?? []) {
        const q = quiz.data.questions.find((q) => q.id == id);
        assert.equal(answerOf(q, c.answers[id]), undefined, `${context}: ${id}`);
      }
      // pages with this quiz load the basic copy: it must score it the same
      if (quiz.script == 'quiz-basic.min.js') {
        if (c.result) matches(basic.score(quiz.data, c.answers, c.drawn), c.result, `${context} (quiz-basic.min.js)`);
        for (const id of c.unanswered ?? []) assert.equal(basic.answerOf(quiz.data.questions.find((q) => q.id == id), c.answers[id]), undefined, `${context}: ${id} (quiz-basic.min.js)`);
      }
      const missing = quiz.data.questions.filter((q) => (!c.drawn || c.drawn.includes(q.id)) && q.required && answerOf(q, c.answers[q.id]) === undefined).map((q) => q.id);
      assert.deepEqual(missing, c.missing ?? [], context);
    }
  });
}
