// Properties of quiz.js that SPEC §4 states and no unit test of score() would catch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const source = readFileSync(new URL('../../themes/default/static/quiz.js', import.meta.url), 'utf8');
const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');

test('holds no user-facing text: no string literal has words separated by a space', () => {
  const literals = code.match(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g) ?? [];
  assert.ok(literals.length > 20, 'found the literals');
  const prose = literals.filter((s) => /\p{L}{2,}\s+\p{L}{2,}/u.test(s));
  assert.deepEqual(prose, []);
});

test('never touches the network', () => {
  for (const api of ['fetch', 'XMLHttpRequest', 'sendBeacon', 'WebSocket', 'EventSource', 'import(', 'navigator', 'Worker']) {
    assert.ok(!code.includes(api), `quiz.js mentions ${api}`);
  }
});

test('loads under Node without a DOM and exports the scorer', async () => {
  const m = await import('../../themes/default/static/quiz.js');
  for (const name of ['score', 'normalize', 'outcomeOf', 'answerOf', 'shuffle', 'enhance']) {
    assert.equal(typeof m[name], 'function', name);
  }
});
