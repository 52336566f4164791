// SPEC §5: the quiz script as shipped is under 6 KB gzipped with every feature of §3.1–3.3, and under
// 4 KB for quizzes that use only the first six question types. Pages load one of two copies of
// themes/default/static/quiz.js that terser minifies into the theme (no minifier in the Rust build):
// quiz.min.js with every feature, and quiz-basic.min.js without quiz.js's EXTRAS, for pages whose
// quizzes need none of them (src/quiz/client.rs `QuizScript`). These tests keep both current and in
// budget; tests/browser/site.test.mjs measures what quiz pages actually request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGETS = { 'quiz.min.js': 6144, 'quiz-basic.min.js': 4096 };
const read = (name) => readFileSync(new URL(`../../themes/default/static/${name}`, import.meta.url), 'utf8');
const gz = (s) => gzipSync(s).length;

let terser;
try {
  terser = await import('terser');
} catch {
  // reported as skipped below
}
const skip = terser ? false : 'terser is not installed (npm ci installs it from package-lock.json)';

for (const [name, budget] of Object.entries(BUDGETS)) {
  test(`${name} is quiz.js minified (run \`npm run minify\` after editing quiz.js)`, { skip }, async () => {
    const { minify } = await import('../../scripts/minify-quiz.mjs');
    assert.ok(read(name) == (await minify(read('quiz.js'), name)), `${name} is stale: run \`npm run minify\``);
  });

  test(`${name} gzips to less than ${budget} bytes`, (t) => {
    const n = gz(read(name));
    t.diagnostic(`${name}: ${read(name).length} bytes, ${n} gzipped (quiz.js: ${gz(read('quiz.js'))} gzipped)`);
    assert.ok(n < budget, `${n} bytes ≥ ${budget}`);
  });

  test(`${name} exports what the source does`, async () => {
    const [src, min] = await Promise.all([
      import('../../themes/default/static/quiz.js'),
      import(`../../themes/default/static/${name}`),
    ]);
    assert.deepEqual(Object.keys(min).sort(), Object.keys(src).sort());
  });
}

test('the minifier knows both copies and the budgets name them', async () => {
  const { SCRIPTS } = await import('../../scripts/minify-quiz.mjs');
  assert.deepEqual(Object.keys(SCRIPTS).sort(), Object.keys(BUDGETS).sort());
});

test('the basic copy has none of the extras: no order, match or cloze, no practice, draw or top', () => {
  const basic = read('quiz-basic.min.js');
  for (const word of ['"order"', '"cloze"', 'data-quiz-check', 'data-quiz-retry', 'data-quiz-hint', 'data-quiz-review', '.top']) {
    assert.ok(!basic.includes(word), `${word} is in quiz-basic.min.js`);
  }
  for (const word of ['data-quiz-share', 'data-quiz-forget']) assert.ok(basic.includes(word), `${word} is not in quiz-basic.min.js`);
});
