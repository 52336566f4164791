// The theme's search engine (themes/default/static/search.js) against an index tandem built:
// prefix, AND, accents, ranking, snippets, and bad queries. The site is written here, so each
// expectation sits next to the text that causes it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fold, open, terms } from '../../themes/default/static/search.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const TANDEM = resolve(REPO, process.env.TANDEM_BIN || 'target/debug/tandem');

const page = (title, body, extra = '') => `---\ntitle: "${title}"\n${extra}---\n${body}\n`;
const filler = (n) => Array.from({ length: n }, (_, i) => `filler${i % 50}`).join(' ');

const SITE = {
  'site.toml': 'title = "Search fixture"\nbase_url = "https://search.example.org"\nlanguage = "en"\n',
  'content/_index.md': page('Home', 'The home page talks about gardening.'),
  'content/guides/_index.md': page('Guides', 'This section introduces the lighthouse keepers.'),
  // Ranking for "trust": title hit, then heading hit, then the most frequent in the text.
  'content/guides/trust.md': page('Trust and repair', 'Some words here.\n\n## Other things\n\nNothing about it.', 'weight: 1\n'),
  'content/guides/heading.md': page('Second guide', 'Intro.\n\n## Rebuilding trust\n\nText under the heading.', 'weight: 2\n'),
  'content/guides/often.md': page('Third guide', 'trust trust trust trust, trust again.', 'weight: 3\n'),
  'content/guides/once.md': page('Fourth guide', 'We trust once. The café opens at noon.', 'weight: 4\n'),
  // Prefix and stems: attachment, attached; accents: Café, naïve.
  'content/guides/attachment.md': page(
    'Attachment styles',
    'Intro text.\n\n## Café conversations\n\nA naïve question about being attached, in a café.\n\n' +
      `## Far down\n\n${filler(400)} The zeppelin appears only here, deep in the text. ${filler(400)}`,
    'weight: 5\n',
  ),
  'content/guides/code.md': page('Code sample', '```rust\nfn frobnicate_widget() {}\n```\n\n| Col | Val |\n|---|---|\n| tablecell | 1 |', 'weight: 6\n'),
  'content/guides/huge.md': page('Huge page', filler(50_000) + ' needleword', 'weight: 7\n'),
  'content/quizzes/_index.md': page('Quizzes', 'Self-checks.'),
  'content/quizzes/check.yaml': [
    'title: Reassurance check',
    'mode: knowledge',
    'intro: How do you ask for **reassurance**?',
    'questions:',
    '  - type: single',
    '    prompt: Which habit builds closeness?',
    '    options:',
    '      - text: Secretkeeping',
    '        correct: true',
    '        feedback: Hiddenfeedback words.',
    '      - text: Shouting',
    '    explanation: Hiddenexplanation words.',
    '',
  ].join('\n'),
};

let tmp;
let out;
let fetched = [];
let engine;

/** fetch() over the built files, recording what was asked for. */
const fetchFiles = async (url) => {
  const path = decodeURIComponent(new URL(url).pathname);
  fetched.push(path);
  try {
    const body = readFileSync(join(out, path));
    return {
      ok: true,
      status: 200,
      json: async () => JSON.parse(body),
      arrayBuffer: async () => body.buffer.slice(body.byteOffset, body.byteOffset + body.length),
    };
  } catch {
    return { ok: false, status: 404 };
  }
};

before(() => {
  assert.ok(existsSync(TANDEM), `no tandem binary at ${TANDEM}: run cargo build`);
  tmp = mkdtempSync(join(tmpdir(), 'tandem-search-'));
  for (const [rel, text] of Object.entries(SITE)) {
    mkdirSync(dirname(join(tmp, 'site', rel)), { recursive: true });
    writeFileSync(join(tmp, 'site', rel), text);
  }
  out = join(tmp, 'out');
  const r = spawnSync(TANDEM, ['build', '--root', join(tmp, 'site'), '--output', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const search = async (q, opts) => {
  engine ??= await open('http://site.test/search/index.json', { fetch: fetchFiles });
  fetched = [];
  return engine.search(q, opts);
};
const urls = (r) => r.results.map((x) => x.url.split('#')[0]);
const snippetText = (r) => r.snippet.map((p) => (p.mark ? `[${p.text}]` : p.text)).join('');

test('words are split and folded as the Rust side does (shared fixture)', () => {
  const cases = JSON.parse(readFileSync(join(REPO, 'tests/fixtures/search/fold.json'), 'utf8'));
  assert.ok(cases.length > 5);
  for (const c of cases) assert.deepEqual(terms(c.text), c.terms, c.text);
  assert.equal(fold('ÉCOLE'), 'ecole');
});

test('the last word matches by prefix while typing; a finished word matches whole and by stem', async () => {
  for (const q of ['attach', 'attachm', 'ATTACH']) {
    assert.ok(urls(await search(q)).includes('/guides/attachment/'), q);
  }
  // Finished ("attachments ", not in the text): no prefix, but the stem group
  // attach/attached/attachment matches, through "attachment".
  assert.deepEqual(urls(await search('attachments ')), ['/guides/attachment/']);
  // A word that is only a prefix of indexed words finds nothing once finished.
  assert.equal((await search('zeppeli ')).total, 0);
  assert.equal((await search('zeppeli')).total, 1);
});

test('several words narrow the results (AND)', async () => {
  assert.deepEqual(urls(await search('trust café')), ['/guides/once/']);
  assert.equal((await search('trust zeppelin')).total, 0);
});

test('case and accents do not matter, on either side', async () => {
  for (const q of ['cafe', 'CAFÉ', 'Café', 'cafe\u0301']) {
    const r = await search(q + ' ');
    assert.deepEqual(urls(r).sort(), ['/guides/attachment/', '/guides/once/'], q);
  }
  assert.deepEqual(urls(await search('naive ')), ['/guides/attachment/']);
});

test('ranking: title hits, then heading hits, then term frequency', async () => {
  const r = await search('trust ');
  assert.deepEqual(urls(r), ['/guides/trust/', '/guides/heading/', '/guides/often/', '/guides/once/']);
  assert.equal(r.total, 4);
});

test('a result links to the heading its match sits under, with a marked snippet', async () => {
  const heading = (await search('rebuilding')).results[0];
  assert.equal(heading.url, '/guides/heading/#rebuilding-trust');
  assert.equal(heading.heading, 'Rebuilding trust');
  const deep = (await search('zeppelin ')).results[0];
  assert.equal(deep.url, '/guides/attachment/#far-down');
  assert.equal(deep.title, 'Attachment styles');
  assert.match(snippetText(deep), /^… .*The \[zeppelin\] appears only here, deep in the text\..* …$/);
  const accent = (await search('naive ')).results[0];
  assert.equal(accent.url, '/guides/attachment/#café-conversations');
  assert.match(snippetText(accent), /A \[naïve\] question/);
});

test('code, tables, section pages, quiz titles, intros and prompts are indexed; quiz answers are not', async () => {
  assert.deepEqual(urls(await search('frobnicate')), ['/guides/code/']);
  assert.deepEqual(urls(await search('tablecell')), ['/guides/code/']);
  assert.deepEqual(urls(await search('lighthouse')), ['/guides/']);
  assert.deepEqual(urls(await search('gardening')), ['/']);
  const quiz = await search('reassurance');
  assert.deepEqual(urls(quiz), ['/quizzes/check/']);
  assert.equal(quiz.results[0].title, 'Reassurance check');
  assert.deepEqual(urls(await search('closeness')), ['/quizzes/check/']);
  for (const secret of ['secretkeeping', 'hiddenfeedback', 'hiddenexplanation']) {
    assert.equal((await search(secret)).total, 0, `${secret} must not be searchable`);
  }
});

test('fetches: the manifest once, then only the shards of the words and the shown results’ fragments', async () => {
  fetched = [];
  const fresh = await open('http://site.test/search/index.json', { fetch: fetchFiles });
  assert.deepEqual(fetched, ['/search/index.json']);
  fetched = [];
  const none = await fresh.search('qqqqqq ');
  assert.equal(none.total, 0);
  assert.equal(fetched.length, 1, fetched.join());
  assert.match(fetched[0], /^\/search\/s\/\d+\.bin$/);
  fetched = [];
  const r = await fresh.search('trust ', { limit: 2 });
  assert.equal(r.results.length, 2);
  // Two results: their group fragment files (one, if both pages share a group), each once.
  const fragmentFiles = fetched.filter((f) => f.startsWith('/search/f/'));
  assert.ok(fragmentFiles.length >= 1 && fragmentFiles.length <= 2, fetched.join());
  assert.equal(new Set(fragmentFiles).size, fragmentFiles.length, fetched.join());
  assert.ok(fragmentFiles.every((f) => /^\/search\/f\/\d+\.json$/.test(f)), fetched.join());
  fetched = [];
  await fresh.search('trust ', { limit: 2 });
  assert.deepEqual(fetched, [], 'shards and fragments fetched once');
});

test('bad queries: punctuation only, 1,000 characters, a 50,000-word page', async () => {
  const punct = await search('!!! ... ??? —');
  assert.equal(punct.total, 0);
  assert.deepEqual(fetched, [], 'nothing to look up, nothing fetched');
  const t0 = performance.now();
  const long = await search('trust '.repeat(170));
  assert.equal(long.total, 4);
  const huge = await search('needleword');
  assert.deepEqual(urls(huge), ['/guides/huge/']);
  assert.ok(performance.now() - t0 < 5000);
  // The huge page's snippet comes from the fragment file holding the match, not from all its text.
  const fragments = fetched.filter((f) => f.startsWith('/search/f/'));
  assert.equal(fragments.length, 1);
  assert.match(fragments[0], /\.\d+\.json$/);
  assert.ok(readFileSync(join(out, fragments[0])).length < 40_000);
  assert.match(snippetText(huge.results[0]), /\[needleword\]$/);
});

test('a stale query is dropped', async () => {
  assert.equal(await search('trust', { isStale: () => true }), null);
});
