#!/usr/bin/env node
// Not a test: proves that two builds of a site look the same to a reader, for changes that make
// the markup smaller without meaning to change anything shown (issue 12.2).
//
//   node scripts/compare_sites.mjs BEFORE_OUT AFTER_OUT [--shots DIR]
//
// For every HTML page of both folders (same URLs expected), in Debian's Chromium, light and dark,
// 1280 and 390 pixels wide: the full-page screenshot (byte for byte), the visible text
// (`innerText`), the accessibility tree (Playwright's ARIA snapshot) and the keyboard's tab order
// (the accessible name and role of each focusable element, in order). Prints each difference and
// exits 1 if there is any. `--shots DIR` keeps the screenshots of the pages that differ.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { htmlPages, launch, serve } from '../tests/browser/helpers.mjs';

const args = process.argv.slice(2);
const shotsAt = args.indexOf('--shots');
const shots = shotsAt >= 0 ? args.splice(shotsAt, 2)[1] : null;
const [before, after] = args;
if (!before || !after) {
  console.error('usage: node scripts/compare_sites.mjs BEFORE_OUT AFTER_OUT [--shots DIR]');
  process.exit(2);
}

const urls = (out) => htmlPages(out).map((p) => p.url);
const [urlsBefore, urlsAfter] = [urls(before), urls(after)];
const differences = [];
for (const u of urlsBefore.filter((u) => !urlsAfter.includes(u))) differences.push(`${u}: only in ${before}`);
for (const u of urlsAfter.filter((u) => !urlsBefore.includes(u))) differences.push(`${u}: only in ${after}`);

// What a reader meets on a page: how it looks, what it says, what assistive technology reads, and
// where the Tab key goes.
async function look(page) {
  const text = await page.evaluate(() => document.body.innerText);
  const aria = await page.locator('body').ariaSnapshot();
  const tabs = await page.evaluate(() => {
    const focusable = 'a[href],button,input,select,textarea,summary,[tabindex]:not([tabindex="-1"])';
    return [...document.querySelectorAll(focusable)]
      .filter((el) => !el.closest('[hidden]') && el.getClientRects().length > 0 && !el.disabled)
      .map((el) => `${el.tagName.toLowerCase()} ${el.getAttribute('href') ?? ''} ${(el.getAttribute('aria-label') ?? el.textContent).trim()}`);
  });
  const shot = await page.screenshot({ fullPage: true });
  return { text, aria, tabs, shot };
}

const browser = await launch();
const servers = [await serve(before), await serve(after)];
const common = urlsBefore.filter((u) => urlsAfter.includes(u));
let compared = 0;
for (const colorScheme of ['light', 'dark']) {
  for (const width of [1280, 390]) {
    const ctx = await browser.newContext({ colorScheme, reducedMotion: 'reduce', viewport: { width, height: 900 } });
    const page = await ctx.newPage();
    for (const u of common) {
      const seen = [];
      for (const s of servers) {
        await page.goto(s.origin + u, { waitUntil: 'load' });
        await page.evaluate(() => document.fonts.ready);
        seen.push(await look(page));
      }
      const [a, b] = seen;
      const where = `${u} (${colorScheme}, ${width}px)`;
      if (a.text !== b.text) differences.push(`${where}: visible text differs`);
      if (a.aria !== b.aria) differences.push(`${where}: accessibility tree differs:\n--- before\n${a.aria}\n--- after\n${b.aria}`);
      if (a.tabs.join('\n') !== b.tabs.join('\n')) differences.push(`${where}: tab order differs:\n${a.tabs.join('\n')}\n---\n${b.tabs.join('\n')}`);
      if (!a.shot.equals(b.shot)) {
        differences.push(`${where}: screenshot differs`);
        if (shots) {
          mkdirSync(shots, { recursive: true });
          const name = `${u.replace(/\W+/g, '_')}-${colorScheme}-${width}`;
          writeFileSync(join(shots, `${name}-before.png`), a.shot);
          writeFileSync(join(shots, `${name}-after.png`), b.shot);
        }
      }
      compared++;
    }
    await ctx.close();
  }
}
await browser.close();
for (const s of servers) await s.close();
console.log(`${common.length} pages, ${compared} page views compared (light and dark, 1280 and 390 px wide)`);
for (const d of differences) console.log(d);
console.log(differences.length ? `${differences.length} differences` : 'no differences');
process.exit(differences.length ? 1 : 0);
