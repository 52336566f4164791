// Helpers of the browser tests: build a site with the tandem binary, serve it on 127.0.0.1, drive
// Debian's chromium with playwright-core, and record every request the pages make.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURE_SITE = join(REPO, 'tests/browser/fixtures/site');
export const COURSE_SITE = join(REPO, 'tests/browser/fixtures/course');
export const AXE = join(REPO, 'node_modules/axe-core/axe.min.js');
export const VNU = join(REPO, 'node_modules/vnu-jar/build/dist/vnu.jar');
export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
export const TANDEM_BIN = resolve(REPO, process.env.TANDEM_BIN || 'target/debug/tandem');

/** Builds the site at `root` into a new temporary folder; returns { out, cleanup }. */
export function buildSite(root = REPO) {
  if (!existsSync(TANDEM_BIN)) throw new Error(`no tandem binary at ${TANDEM_BIN}: run \`cargo build\` or set TANDEM_BIN`);
  const tmp = mkdtempSync(join(tmpdir(), 'tandem-browser-'));
  const out = join(tmp, 'out');
  const r = spawnSync(TANDEM_BIN, ['build', '--root', root, '--output', out], { encoding: 'utf8' });
  if (r.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`tandem build --root ${root} failed (${r.status}):\n${r.stdout}${r.stderr}`);
  }
  return { out, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

/**
 * A site of quizzes made from the contract's fixtures: `quizzes` maps a page's slug to a file of
 * src/quiz/fixtures/ (`{ draw: 'knowledge-draw.yaml' }` → /quizzes/draw/), linked from the home page.
 * Returns { root, cleanup }.
 */
export function quizFixtureSite(title, quizzes) {
  const root = mkdtempSync(join(tmpdir(), 'tandem-quizzes-'));
  mkdirSync(join(root, 'content/quizzes'), { recursive: true });
  writeFileSync(join(root, 'site.toml'), `title = "${title}"\nbase_url = "https://example.org"\n`);
  const links = Object.keys(quizzes).map((slug) => `[${slug}](quizzes/${slug}.yaml)`);
  writeFileSync(join(root, 'content/_index.md'), `---\ntitle: Home\n---\nThe quizzes: ${links.join(', ')}.\n`);
  writeFileSync(join(root, 'content/quizzes/_index.md'), '---\ntitle: Quizzes\n---\n');
  for (const [slug, file] of Object.entries(quizzes)) {
    cpSync(join(REPO, 'src/quiz/fixtures', file), join(root, `content/quizzes/${slug}.yaml`));
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * Builds each site root and serves it to one shared browser: { browser, sessions, outs } (a session
 * and an output folder per root, in order) and close(), which ends them all and removes the builds.
 */
export async function openSites(...roots) {
  const sites = [], sessions = [];
  let browser;
  const close = async () => {
    for (const s of sessions) await s.close();
    await browser?.close();
    for (const site of sites) site.cleanup();
  };
  try {
    for (const root of roots) sites.push(buildSite(root));
    browser = await launch();
    for (const site of sites) sessions.push(await session(site.out, { browser }));
  } catch (e) {
    await close();
    throw e;
  }
  return { browser, sessions, outs: sites.map((site) => site.out), close };
}

/** The focused element, described: `radio colour=1`, `button [data-quiz-submit]`, `a [data-quiz-review]`, … */
export const focused = (page) => page.evaluate(() => {
  const e = document.activeElement;
  if (!e || e === document.body) return 'body';
  if (e.tagName === 'INPUT') return `${e.type} ${e.name}=${e.value}`;
  const data = [...e.attributes].map((a) => a.name).find((n) => n.startsWith('data-quiz'));
  return `${e.tagName.toLowerCase()}${data ? ` [${data}]` : ''}`;
});

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json', '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg',
  '.webp': 'image/webp', '.ico': 'image/x-icon', '.woff2': 'font/woff2',
};

/** The file under `root` a URL path names (a folder: its index.html), or null: never outside root. */
export function fileFor(root, urlPath) {
  let p;
  try { p = decodeURIComponent(urlPath.split(/[?#]/)[0]); } catch { return null; }
  if (p.includes('\0')) return null;
  let file = resolve(root, '.' + p);
  if (file !== root && !file.startsWith(root + sep)) return null;
  try {
    if (statSync(file).isDirectory()) file = join(file, 'index.html');
    return statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}

/** Serves the files under `dir` on 127.0.0.1, on a free port: { origin, close() }; `headers` are
 * added to every response (e.g. a Content-Security-Policy). */
export async function serve(dir, { headers = {} } = {}) {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const url = new URL(req.url, 'http://127.0.0.1');
    // a folder without its trailing slash: redirect, as static hosts do, so relative URLs resolve
    const dir = !url.pathname.endsWith('/') && fileFor(root, url.pathname);
    if (dir && dir.endsWith(sep + 'index.html') && !url.pathname.endsWith('/index.html')) {
      res.writeHead(301, { location: url.pathname + '/' + url.search }).end();
      return;
    }
    let file = fileFor(root, url.pathname), status = 200;
    if (!file) {
      status = 404;
      file = fileFor(root, '/404.html');
    }
    const body = file ? readFileSync(file) : Buffer.from('not found');
    res.writeHead(status, {
      'content-type': (file && TYPES[extname(file)]) || 'application/octet-stream',
      'content-length': body.length,
      'cache-control': 'no-store',
      ...headers,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); }),
  };
}

/** Every *.html file under `out`, as { file, url } (url: the pretty URL path), sorted by URL. */
export function htmlPages(out, { aliases = false } = {}) {
  const pages = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.html')) {
        if (!aliases && isAliasPage(readFileSync(p, 'utf8'))) continue;
        const rel = relative(out, p).split(sep).join('/');
        pages.push({ file: p, url: '/' + rel.replace(/(^|\/)index\.html$/, '$1') });
      }
    }
  };
  walk(out);
  return pages.sort((a, b) => a.url.localeCompare(b.url));
}

/** An alias page (templates/alias.html): a meta refresh that only redirects. */
export const isAliasPage = (html) => /<meta\s+http-equiv=["']?refresh/i.test(html);

/** gzip size of a body, at zlib's default level (what common servers send). */
export const gzipSize = (buf) => gzipSync(buf).length;

let playwright;
/** Launches Debian's chromium (never downloads one). */
export async function launch() {
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM}: apt-get install -y chromium`);
  playwright ??= await import('playwright-core');
  return playwright.chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A browser, a server for `out` and a log of every request any page made: `ctx(options)` opens a
 * fresh context (its own localStorage) whose requests are logged in `requests`.
 */
export async function session(out, { browser: shared, headers } = {}) {
  const server = await serve(out, { headers });
  const browser = shared || (await launch());
  const requests = [];
  const errors = [];
  const contexts = [];
  return {
    origin: server.origin,
    browser,
    requests,
    errors,
    async ctx(options = {}) {
      // reduced motion: the theme scrolls smoothly otherwise, and a mouse click at a label's
      // coordinates would race the animation
      const c = await browser.newContext({ reducedMotion: 'reduce', ...options });
      c.setDefaultTimeout(5000);
      contexts.push(c);
      c.on('request', (r) => requests.push(r.url()));
      c.on('response', (r) => r.status() >= 400 && errors.push(`${r.url()}: HTTP ${r.status()}`));
      c.on('page', (p) => p.on('pageerror', (e) => errors.push(`${p.url()}: ${e.message}`)));
      return c;
    },
    /** A new page in a new context, at `path`, loaded. */
    async open(path, options = {}) {
      const c = await this.ctx(options);
      const page = await c.newPage();
      await page.goto(server.origin + path, { waitUntil: 'load' });
      return page;
    },
    /** Requests whose URL is not on this server's origin (data:, blob: and about: never leave it). */
    foreign() {
      return requests.filter((u) => !/^(data|blob|about):/.test(u) && !u.startsWith(server.origin + '/'));
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      if (!shared) await browser.close();
      await server.close();
    },
  };
}

/** Runs axe-core in the page (all rules, including colour contrast); returns its violations. */
export async function axe(page, options = {}) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: AXE });
  const { violations, passes } = await page.evaluate((opts) => window.axe.run(document, opts).then((r) => ({
    passes: r.passes.length,
    violations: r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    })),
  })), options);
  if (passes < 10) throw new Error(`axe-core ran only ${passes} passing rules on ${page.url()}`);
  return violations;
}

/** Violations, one readable line per rule and target. */
export const formatViolations = (where, vs) => vs.flatMap((v) =>
  v.nodes.map((n) => `${where}: ${v.id} (${v.impact}) at ${n.target}: ${v.help}\n    ${(n.summary || '').replace(/\n/g, '\n    ')}`));
