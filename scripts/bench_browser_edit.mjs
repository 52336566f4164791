#!/usr/bin/env node
// Edit → new text visible in Chromium, for `tandem serve --watch` and, when they are on PATH,
// `zola serve --fast --debounce 10` and `hugo server` (a benchmark, not a test).
//
//     python3 /work/shared/bench/gen_corpus.py 10000 /tmp/corpus --layouts neutral,zola,hugo
//     cargo build --release
//     node scripts/bench_browser_edit.mjs /tmp/corpus [--runs 11] [--tandem target/release/tandem]
//         [--baseline OTHER_TANDEM] [--servers tandem,baseline,reloading,zola,hugo]
//
// --baseline runs a second tandem binary the same way, right after the first (before/after
// figures from one run); --servers picks which servers run, in that order.
//
// For each server: starts it on the corpus's layout for it (127.0.0.1, a free port), opens the
// corpus's probe page in headless Chromium (Debian's, via playwright-core) and waits until the
// server's live reload is connected. Then, per run: appends a unique sentence to the probe page's
// source and times from just before the write until the frame that first shows the sentence.
// The page watches for the sentence itself (a MutationObserver, installed again in every document
// so that a server that reloads the page is timed the same way) and notes the time of the next
// animation frame, on the same clock as this script (Unix epoch, milliseconds, sub-ms). Prints
// every time and the median. The probe page is put back as it was at the end.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args.splice(at, 2)[1] : fallback;
};
const runs = Number(option('--runs', '11'));
const tandem = resolve(option('--tandem', join(REPO, 'target/release/tandem')));
const chromiumPath = option('--chromium', process.env.CHROMIUM_BIN || '/usr/bin/chromium');
const baseline = option('--baseline', null);
const chosen = option('--servers', baseline ? 'tandem,baseline,reloading,zola,hugo' : 'tandem,reloading,zola,hugo').split(',');
const corpus = args[0];
if (!corpus || runs < 1) {
  console.error('usage: node scripts/bench_browser_edit.mjs CORPUS_DIR [--runs N] [--tandem BIN] [--baseline BIN] [--servers LIST] [--chromium BIN]');
  process.exit(2);
}
const { chromium } = await import('playwright-core');
const probe = JSON.parse(readFileSync(join(corpus, 'corpus.json'), 'utf8')).probe;

const onPath = (program) => spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;
const freePort = () =>
  new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

// Each server: how to start it, and how to tell its first build is done from its output.
const servers = [
  {
    key: 'tandem',
    name: 'tandem serve --watch',
    layout: 'neutral',
    available: existsSync(tandem) || `no tandem binary at ${tandem} (cargo build --release)`,
    start: (root, port) => spawn(tandem, ['serve', '--watch', '--port', String(port), '--root', root]),
    ready: /^built /m,
  },
  {
    key: 'baseline',
    name: `tandem serve --watch, baseline ${baseline}`,
    layout: 'neutral',
    available: (baseline && existsSync(baseline)) || `no baseline binary (--baseline ${baseline})`,
    start: (root, port) => spawn(resolve(baseline), ['serve', '--watch', '--port', String(port), '--root', root]),
    ready: /^built /m,
  },
  {
    key: 'reloading',
    // The same server with the round-1 live-reload script (location.reload() on every rebuild),
    // given to the page in place of the served one: what updating in place is compared with.
    name: 'tandem serve --watch, reloading',
    layout: 'neutral',
    available: existsSync(tandem) || `no tandem binary at ${tandem} (cargo build --release)`,
    start: (root, port) => spawn(tandem, ['serve', '--watch', '--port', String(port), '--root', root]),
    ready: /^built /m,
    script: `(() => { const v = document.currentScript.dataset.version;
      const s = new EventSource("/__tandem/events");
      s.addEventListener("hello", (e) => { if (String(JSON.parse(e.data).version) !== v) location.reload(); });
      s.addEventListener("reload", () => location.reload()); })();`,
  },
  {
    key: 'zola',
    name: 'zola serve --fast --debounce 10',
    layout: 'zola',
    available: onPath('zola') || 'zola is not on PATH',
    start: (root, port) =>
      spawn('zola', ['serve', '--fast', '--debounce', '10', '--port', String(port), '--interface', '127.0.0.1'], { cwd: root }),
    ready: /Web server is available|Listening for changes/,
  },
  {
    key: 'hugo',
    name: 'hugo server',
    layout: 'hugo',
    available: onPath('hugo') || 'hugo is not on PATH',
    start: (root, port) =>
      spawn('hugo', ['server', '--source', root, '--port', String(port), '--bind', '127.0.0.1', '--liveReloadPort', String(port)]),
    ready: /Web Server is available/,
  },
];

// Installed in every document: when the sentence asked for (sessionStorage, so that it outlives
// a reload) is in the page, notes the time of the next frame.
function watchForSentence() {
  const seen = () => {
    const want = sessionStorage.getItem('bench-want');
    if (!want || window.benchNoted === want || sessionStorage.getItem('bench-seen-for') === want) return;
    if (!document.body || !document.body.textContent.includes(want)) return;
    window.benchNoted = want;
    requestAnimationFrame(() => {
      sessionStorage.setItem('bench-seen-at', String(performance.timeOrigin + performance.now()));
      sessionStorage.setItem('bench-seen-for', want);
    });
  };
  new MutationObserver(seen).observe(document, { subtree: true, childList: true, characterData: true });
  document.addEventListener('DOMContentLoaded', seen);
}

async function bench(browser, server) {
  const root = join(corpus, server.layout);
  const file = join(root, probe.files[server.layout]);
  if (!existsSync(file)) return { skipped: `no ${server.layout} layout in ${corpus} (gen_corpus.py --layouts ${server.layout})` };
  const original = readFileSync(file, 'utf8');
  const port = await freePort();
  const child = server.start(root, port);
  let output = '';
  const started = new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${server.name} did not start: ${output}`)), 300000);
    const read = (d) => {
      output += d;
      if (server.ready.test(output)) clearTimeout(timer), ok();
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => fail(new Error(`${server.name} exited (${code}): ${output}`)));
  });
  const times = [];
  try {
    await started;
    const page = await browser.newPage();
    await page.addInitScript(watchForSentence);
    if (server.script) {
      await page.route('**/__tandem/live.js', (route) => route.fulfill({ contentType: 'text/javascript', body: server.script }));
    }
    await page.goto(`http://127.0.0.1:${port}${probe.urls[server.layout]}`);
    await sleep(1000); // the live-reload connection, and the server settling after its build
    for (let run = 0; run < runs; run++) {
      const sentence = `Benchmark sentence ${run} ${Math.random().toString(36).slice(2)}.`;
      await page.evaluate((s) => sessionStorage.setItem('bench-want', s), sentence);
      const start = now();
      writeFileSync(file, `${original}\n${sentence}\n`);
      let seenAt = null;
      while (seenAt == null) {
        if (now() - start > 30000) throw new Error(`run ${run}: the sentence never showed`);
        await sleep(10);
        seenAt = await page.evaluate(() => sessionStorage.getItem('bench-seen-for') === sessionStorage.getItem('bench-want')
          ? sessionStorage.getItem('bench-seen-at') : null).catch(() => null); // mid-navigation
      }
      const ms = Number(seenAt) - start;
      times.push(ms);
      // Where the time went, when the page fetched itself (an update in place).
      const fetched = await page.evaluate(() => {
        const e = performance.getEntriesByType('resource').filter((r) => r.initiatorType === 'fetch' && r.name === location.href).pop();
        return e ? [performance.timeOrigin + e.startTime, performance.timeOrigin + e.responseEnd] : null;
      });
      const split = fetched && fetched[0] > start
        ? `   (write → fetch ${(fetched[0] - start).toFixed(1)}, fetch ${(fetched[1] - fetched[0]).toFixed(1)}, → frame ${(Number(seenAt) - fetched[1]).toFixed(1)})`
        : '';
      const said = [...output.matchAll(/^rebuilt .*$/gm)].pop()?.[0];
      console.error(`  ${server.name} run ${String(run).padStart(2)}: ${ms.toFixed(1).padStart(7)} ms${split}${said ? `   [${said}]` : ''}`);
      await sleep(400);
    }
    await page.close();
  } finally {
    writeFileSync(file, original);
    child.kill();
  }
  return { times };
}

const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
const results = [];
try {
  for (const server of chosen.map((key) => servers.find((s) => s.key === key) ?? { key, name: key, available: 'no such server' })) {
    if (server.available !== true) results.push([server.name, { skipped: server.available }]);
    else results.push([server.name, await bench(browser, server)]);
  }
} finally {
  await browser.close();
}
console.log(`edit → new text visible in Chromium, ${probe.files.neutral} of ${corpus}:`);
for (const [name, r] of results) {
  if (r.skipped) console.log(`  ${name}: not run: ${r.skipped}`);
  else {
    const t = r.times;
    console.log(`  ${name}: median ${median(t).toFixed(1)} ms, min ${Math.min(...t).toFixed(1)}, max ${Math.max(...t).toFixed(1)} over ${t.length} edits`);
  }
}
