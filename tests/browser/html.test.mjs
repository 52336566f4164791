// The Nu HTML Checker (vnu-jar) on every HTML page of the built flagship site and of the fixture
// site, as served, plus the quiz pages as the browser has them once scripts ran and quizzes were
// scored: one Java invocation, zero errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COURSE_SITE, FIXTURE_SITE, REPO, VNU, buildSite, htmlPages, session } from './helpers.mjs';
import * as Q from './quiz-driver.mjs';

let flagship, fixture, course, snapDir, files, report, where;

before(async () => {
  flagship = buildSite(REPO);
  fixture = buildSite(FIXTURE_SITE);
  course = buildSite(COURSE_SITE);
  snapDir = mkdtempSync(join(tmpdir(), 'tandem-vnu-'));
  where = new Map();
  files = [];
  for (const [name, out] of [['flagship', flagship.out], ['fixture', fixture.out], ['course', course.out]]) {
    for (const p of htmlPages(out, { aliases: true })) {
      files.push(p.file);
      where.set(p.file, `${name} ${p.url}`);
    }
  }
  // the DOM once quiz.js ran: missing answers flagged, then scored
  for (const [name, out] of [['flagship', flagship.out], ['fixture', fixture.out], ['course', course.out]]) {
    const s = await session(out);
    try {
      for (const p of htmlPages(out).filter((x) => /<form[^>]*\sdata-quiz="/.test(readFileSync(x.file, 'utf8')))) {
        const page = await s.open(p.url);
        for (const state of ['missing', 'scored']) {
          for (const form of await page.locator('form[data-quiz]').all()) {
            if (state === 'scored') await Q.setAnswers(form, Q.answersFor(await Q.quizData(form), 'mixed'));
            await Q.finish(form);
          }
          const file = join(snapDir, `${name}-${state}-${p.url.replace(/\W+/g, '_')}.html`);
          writeFileSync(file, await page.content());
          files.push(file);
          where.set(file, `${name} ${p.url} (${state}, after scripts)`);
        }
        await page.context().close();
      }
      assert.deepEqual(s.errors, []);
      assert.deepEqual(s.foreign(), []);
    } finally {
      await s.close();
    }
  }
  // a known-bad page, to prove the checker's errors reach this test
  const bad = join(snapDir, 'known-bad.html');
  writeFileSync(bad, '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><p><div>x</div></p><fieldset><input></fieldset></body></html>');
  files.push(bad);
  where.set(bad, 'known-bad');
  const r = spawnSync('java', ['-Xss4m', '-jar', VNU, '--errors-only', '--format', 'json', ...files], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  let parsed;
  try {
    parsed = JSON.parse(r.stderr || r.stdout);
  } catch {
    throw new Error(`vnu did not answer in JSON (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  }
  report = parsed.messages.map((m) => {
    const file = m.url ? fileURLToPath(m.url) : '';
    return {
      file,
      text: `${where.get(file) ?? relative(REPO, file)}:${m.lastLine ?? '?'}:${m.firstColumn ?? '?'}: ${m.type}${m.subType ? `/${m.subType}` : ''}: ${m.message}${m.extract ? `\n    ${m.extract.replace(/\n/g, ' ')}` : ''}`,
    };
  });
});

after(() => {
  flagship?.cleanup();
  fixture?.cleanup();
  course?.cleanup();
  if (snapDir) rmSync(snapDir, { recursive: true, force: true });
});

test('the checker reports the errors of a known-bad page', () => {
  const bad = report.filter((m) => where.get(m.file) === 'known-bad');
  assert.ok(bad.length >= 1, 'vnu found the stray </p>');
});

test('every page validates: zero Nu HTML Checker errors', () => {
  const served = files.filter((f) => !f.startsWith(snapDir));
  assert.ok(served.length >= 30, `checked ${served.length} pages`);
  const errors = report.filter((m) => where.get(m.file) !== 'known-bad' && !m.file.startsWith(snapDir)).map((m) => m.text);
  assert.deepEqual(errors, [], `${errors.length} errors:\n${errors.join('\n')}`);
});

test('quiz pages validate after the script ran: missing answers flagged, and scored', () => {
  const snaps = files.filter((f) => f.startsWith(snapDir) && where.get(f) !== 'known-bad');
  assert.ok(snaps.length >= 12, `checked ${snaps.length} snapshots`);
  const errors = report.filter((m) => m.file.startsWith(snapDir) && where.get(m.file) !== 'known-bad').map((m) => m.text);
  assert.deepEqual(errors, [], `${errors.length} errors:\n${errors.join('\n')}`);
});
