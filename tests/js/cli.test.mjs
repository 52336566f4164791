// tests/js/score-cli.mjs: the bridge the Rust differential test calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { score } from '../../themes/default/static/quiz.js';
import { question as q, knowledgeQuiz, assessmentQuiz, top } from './helpers.mjs';

const cli = fileURLToPath(new URL('./score-cli.mjs', import.meta.url));
const run = (input) => spawnSync(process.execPath, [cli], { input, encoding: 'utf8' });

test('prints one result per case, in order, as score() computes them', () => {
  const k = knowledgeQuiz([q('q1', 'single', { options: [true, false] }), q('q2', 'text', { accept: ['café'] })], { pass: 50 });
  const a = assessmentQuiz({ c: 'mean', a: 'sum' }, [q('q1', 'scale', { dimension: 'c', reverse: true })], [top('c', 'c'), top('a', 'a')]);
  const cases = [
    { data: k, answers: { q1: 0, q2: ' CAFÉ ' } },
    { data: k, answers: {} },
    { data: a, answers: { q1: 2 } },
  ];
  const r = run(JSON.stringify({ cases }));
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), cases.map((c) => score(c.data, c.answers)));
  assert.equal(JSON.parse(r.stdout)[2].outcome, 'c');
});

test('an empty case list prints []', () => {
  const r = run('{"cases": []}');
  assert.equal(r.status, 0);
  assert.equal(r.stdout.trim(), '[]');
});

test('bad input exits non-zero with a message', () => {
  const r = run('not json');
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /score-cli/);
});
