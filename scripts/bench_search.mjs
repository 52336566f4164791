// Benchmark, not a test: bytes a reader's browser fetches per search query, tandem's search box
// beside Pagefind, both on the same built site, in Chromium over loopback.
//
//   node scripts/bench_search.mjs OUT_DIR [WORD...]
//
// OUT_DIR is a tandem build; where Pagefind wrote its `pagefind/` folder into it
// (scripts/bench_search.sh does both), Pagefind is measured beside tandem. For tandem the page is loaded, the search box focused and the query typed at once; for
// Pagefind, `pagefind.search(word)` and the data of the results shown. Each query runs in a fresh
// browser context (nothing cached). Bytes are response bodies as served (uncompressed) and gzipped.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launch, serve } from '../tests/browser/helpers.mjs';

const [out, ...args] = process.argv.slice(2);
if (!out) {
  console.error('usage: node scripts/bench_search.mjs OUT_DIR [WORD...]');
  process.exit(2);
}
const words = args.length ? args : ['before', 'related', 'xylophone'];
const SHOWN = 8; // tandem shows 8 results; Pagefind gets the data of as many

const server = await serve(out);
const browser = await launch();

/** Runs `act` in a fresh context; gives the bytes of every response after the page loaded. */
async function measure(path, act) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.origin + path, { waitUntil: 'load' });
  const bodies = [];
  page.on('response', async (r) => {
    try {
      bodies.push({ url: new URL(r.url()).pathname, body: await r.body() });
    } catch {
      // a redirect has no body
    }
  });
  const started = performance.now();
  const detail = await act(page);
  const ms = performance.now() - started;
  await page.waitForTimeout(300); // fragments still arriving
  await context.close();
  const raw = bodies.reduce((n, b) => n + b.body.length, 0);
  const gzip = bodies.reduce((n, b) => n + gzipSync(b.body).length, 0);
  return { raw, gzip, files: bodies.length, ms, detail };
}

const tandem = (word, { letterByLetter = false } = {}) =>
  measure('/', async (page) => {
    const box = page.locator('[data-search-input]');
    await box.focus();
    if (letterByLetter) await box.pressSequentially(word, { delay: 150 });
    else await box.fill(word);
    await page.waitForFunction(
      (w) => {
        const s = document.querySelector('[data-search-status]').textContent;
        return document.querySelector('[data-search-input]').value === w && /\d|No/.test(s);
      },
      word,
      { timeout: 20000 },
    );
    return page.locator('[data-search-status]').textContent();
  });

const pagefind = (word) =>
  measure('/', (page) =>
    page.evaluate(
      async ([w, shown]) => {
        const pf = await import('/pagefind/pagefind.js');
        const r = await pf.search(w);
        await Promise.all(r.results.slice(0, shown).map((x) => x.data()));
        return `${r.results.length} results`;
      },
      [word, SHOWN],
    ),
  );

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log('| query | tool | fetched (raw) | fetched (gzip) | requests | time | results |');
console.log('|---|---|---|---|---|---|---|');
for (const word of words) {
  const tools = [['tandem', () => tandem(word)]];
  // Pagefind only where it indexed this output (scripts/bench_search.sh runs it).
  if (existsSync(join(out, 'pagefind'))) tools.push(['Pagefind', () => pagefind(word)]);
  for (const [tool, run] of tools) {
    const r = await run();
    console.log(`| ${word} | ${tool} | ${kb(r.raw)} | ${kb(r.gzip)} | ${r.files} | ${r.ms.toFixed(0)} ms | ${r.detail} |`);
  }
}
const typed = await tandem(words[0], { letterByLetter: true });
console.log(`| ${words[0]}, typed a letter every 150 ms | tandem | ${kb(typed.raw)} | ${kb(typed.gzip)} | ${typed.files} | ${typed.ms.toFixed(0)} ms | ${typed.detail} |`);

await browser.close();
await server.close();
