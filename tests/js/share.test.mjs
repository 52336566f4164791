// Share links (SPEC §3.2, §4): the fragment codec of quiz.js against the pinned cases of
// fixtures/share-links.json: round trips score the same, and every truncated, altered, foreign,
// out-of-date or huge fragment is refused with the reason the page shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeShare, encodeShare, score } from '../../themes/default/static/quiz.js';
import * as basic from '../../themes/default/static/quiz-basic.min.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/share-links.json', import.meta.url), 'utf8'));
const { data } = fixture;

for (const c of fixture.round_trips) {
  test(`round trip: ${c.name}`, () => {
    const fragment = encodeShare(data, c.answers);
    assert.equal(fragment, c.fragment, 'the pinned format (links already shared must keep opening)');
    const back = decodeShare(data, `#${fragment}`);
    assert.ok(back.answers, JSON.stringify(back));
    assert.deepEqual(score(data, back.answers), score(data, c.answers), 'the same result');
    assert.equal(JSON.stringify(score(data, back.answers)), JSON.stringify(score(data, c.answers)));
    assert.equal(encodeShare(data, back.answers), fragment, 'stable');
  });
}

for (const c of fixture.bad) {
  test(`refused: ${c.name}`, () => {
    const got = decodeShare(data, `#${c.fragment}`);
    assert.equal(got?.error, c.error, JSON.stringify(got));
    assert.equal(got.answers, undefined, 'nothing to score');
    if (c.id) assert.equal(got.id, c.id);
  });
}

test('every prefix of a good link is refused', () => {
  const good = fixture.round_trips[0].fragment;
  for (let n = 'quiz='.length; n < good.length; n++) {
    assert.equal(decodeShare(data, good.slice(0, n))?.error, 'damaged', good.slice(0, n));
  }
});

test('every one-character change of a good link is refused', () => {
  const good = fixture.round_trips[0].fragment;
  for (let n = 'quiz=share-kinds.1a2b3c4d.'.length; n < good.length; n++) {
    const changed = good.slice(0, n) + (good[n] == '1' ? '2' : '1') + good.slice(n + 1);
    assert.ok(!decodeShare(data, changed).answers, changed);
  }
});

test('a 1 MB fragment is refused at once, whatever it holds', () => {
  const good = fixture.round_trips[0].fragment;
  for (const huge of ['quiz=' + 'x'.repeat(1 << 20), good + ','.repeat(1 << 20), good.replace('1,0:2', '1'.repeat(1 << 20))]) {
    assert.deepEqual(decodeShare(data, huge), { error: 'damaged' });
  }
});

test('fragments that are not share links are left alone', () => {
  for (const f of fixture.not_share_links) assert.equal(decodeShare(data, f), null, f);
});

test('encoding canonicalises: a multiple answer in any order, unanswered and ill-formed answers left out', () => {
  const a = { ...fixture.round_trips[0].answers, multiple: [2, 0, 2] };
  assert.equal(encodeShare(data, a), fixture.round_trips[0].fragment);
  const b = { ...fixture.round_trips[1].answers, number: 'not a number' };
  assert.equal(encodeShare(data, b), fixture.round_trips[1].fragment);
});

test('with draw, the link says which questions its reader was given, and only those count', () => {
  const drawData = { ...data, draw: 3 };
  const drawn = ['single', 'tf', 'order'];
  const answers = { single: 1, tf: true, order: [1, 2, 3] };
  const fragment = encodeShare(drawData, answers, drawn);
  assert.equal(fragment, 'quiz=share-kinds.1a2b3c4d.1,;,1,;,;,1:2:3,;,;.' + fragment.split('.').pop());
  const back = decodeShare(drawData, fragment);
  assert.deepEqual(back, { answers, drawn });
  const scored = (d) => score({ ...drawData, questions: data.questions.filter((q) => d.includes(q.id)) }, answers);
  assert.deepEqual(scored(back.drawn), scored(drawn));
  // a draw of the wrong size, or a link made before the quiz drew, is refused
  assert.equal(decodeShare({ ...data, draw: 2 }, fragment).error, 'damaged');
  assert.equal(decodeShare(drawData, fixture.round_trips[0].fragment).error, 'damaged');
  assert.equal(decodeShare(data, fragment).error, 'damaged', 'without draw, every question is there');
});

test('quiz-basic.min.js writes, reads and refuses the same links for a quiz of the first six types', () => {
  const six = { ...data, questions: data.questions.filter((q) => !['order', 'match', 'cloze'].includes(q.type)) };
  assert.ok(six.questions.length >= 4 && six.questions.length < data.questions.length);
  for (const c of fixture.round_trips) {
    const fragment = encodeShare(six, c.answers);
    assert.equal(basic.encodeShare(six, c.answers), fragment, c.name);
    assert.deepEqual(basic.decodeShare(six, `#${fragment}`), decodeShare(six, `#${fragment}`), c.name);
    for (let n = 'quiz='.length; n < fragment.length; n++) {
      assert.deepEqual(basic.decodeShare(six, fragment.slice(0, n)), decodeShare(six, fragment.slice(0, n)), fragment.slice(0, n));
    }
  }
  for (const c of fixture.bad) assert.deepEqual(basic.decodeShare(six, `#${c.fragment}`), decodeShare(six, `#${c.fragment}`), c.name);
});
