// SPEC §5: the quiz script as shipped is under 6 KB gzipped with every feature of §3.1–3.3, and under
// 4 KB for quizzes that use only the first six question types. Pages load themes/default/static/
// quiz.min.js, a copy of quiz.js minified by terser and kept in the theme (no minifier in the Rust
// build); these tests keep it current and in budget.
//
// There is one script for every quiz, so a six-type quiz loads all of it: the shipped file is held
// to the 6 KB budget. The 4 KB six-type budget is not met on its own (it would need a second, smaller
// script for quizzes without the §3.1–3.3 features); the diagnostic line says how far the one script
// is from it. tests/browser/site.test.mjs measures what quiz pages actually request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = 6144;
const read = (name) => readFileSync(new URL(`../../themes/default/static/${name}`, import.meta.url), 'utf8');
const gz = (s) => gzipSync(s).length;

let terser;
try {
  terser = await import('terser');
} catch {
  // reported as skipped below
}
const skip = terser ? false : 'terser is not installed (npm ci installs it from package-lock.json)';

test('quiz.min.js is quiz.js minified (run `npm run minify` after editing quiz.js)', { skip }, async () => {
  const { minify } = await import('../../scripts/minify-quiz.mjs');
  assert.ok(read('quiz.min.js') == (await minify(read('quiz.js'))), 'quiz.min.js is stale: run `npm run minify`');
});

test(`quiz.min.js, every feature, gzips to at most ${BUDGET} bytes`, (t) => {
  const n = gz(read('quiz.min.js'));
  t.diagnostic(`quiz.min.js: ${read('quiz.min.js').length} bytes, ${n} gzipped (quiz.js: ${gz(read('quiz.js'))} gzipped)`);
  assert.ok(n <= BUDGET, `${n} bytes > ${BUDGET}`);
});

test('the minified copy exports what the source does', async () => {
  const [src, min] = await Promise.all([
    import('../../themes/default/static/quiz.js'),
    import('../../themes/default/static/quiz.min.js'),
  ]);
  assert.deepEqual(Object.keys(min).sort(), Object.keys(src).sort());
});
