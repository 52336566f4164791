// Accessibility and HTML validity of the rendered partial, before and after scoring: axe-core in
// jsdom (no layout, so no colour-contrast checks: the browser tests do those) and the Nu HTML
// checker (vnu-jar, needs Java). Skipped when those are not installed.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enhance } from '../../themes/default/static/quiz.js';

const require = createRequire(import.meta.url);
const tryResolve = (m) => { try { return require.resolve(m); } catch { return null; } };
let JSDOM;
try { ({ JSDOM } = await import('jsdom')); } catch {}
const axePath = tryResolve('axe-core/axe.min.js');
const vnuPath = tryResolve('vnu-jar/build/dist/vnu.jar');
const hasJava = spawnSync('java', ['-version']).status === 0;

const fixture = (name) => readFileSync(new URL(`./fixtures/${name}.html`, import.meta.url), 'utf8');
const body = (name) => fixture(name).match(/<main>([\s\S]*)<\/main>/)[1];
const doc = (inner) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Quizzes</title></head><body><main><h1>Quizzes</h1>${inner}</main></body></html>`;

/** The page in three states: as served, with missing answers flagged, and scored. */
function states() {
  const out = { served: doc(body('knowledge') + body('assessment')) };
  for (const state of ['missing', 'scored']) {
    const dom = new JSDOM(out.served, { url: 'http://localhost/' });
    const forms = [...dom.window.document.querySelectorAll('form[data-quiz]')];
    for (const f of forms) {
      const data = f.querySelector('[data-quiz-data]');
      if (state === 'scored') data.textContent = data.textContent.replace('"display":"step"', '"display":"all"');
      enhance(f);
      if (state === 'scored') {
        for (const fs of f.querySelectorAll('[data-question]')) {
          const i = fs.querySelector('input');
          if (i.type === 'text') i.value = 'boundaries';
          else if (i.type === 'number') i.value = '4';
          else i.checked = true;
        }
      }
    }
    forms.forEach((f) => f.requestSubmit());
    assert.equal(forms.every((f) => f.querySelector('[data-quiz-result]').hasAttribute('data-outcome')), state === 'scored');
    out[state] = dom.serialize();
  }
  return out;
}

describe('accessibility (axe-core in jsdom)', { skip: !(JSDOM && axePath) && 'jsdom or axe-core is not installed' }, () => {
  for (const [state, html] of Object.entries(JSDOM && axePath ? states() : {})) {
    test(`no violations: ${state}`, async () => {
      const dom = new JSDOM(html, { url: 'http://localhost/', runScripts: 'outside-only', pretendToBeVisual: true });
      dom.window.eval(readFileSync(axePath, 'utf8'));
      const r = await dom.window.axe.run(dom.window.document, { rules: { 'color-contrast': { enabled: false } } });
      const found = r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      assert.deepEqual(Array.from(found), []);
      assert.ok(r.passes.length > 10, "axe ran its rules");
    });
  }
});

describe('HTML validity (Nu HTML checker)', { skip: !(JSDOM && vnuPath && hasJava) && 'jsdom, vnu-jar or java is missing' }, () => {
  test('no errors in any state', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quiz-html-'));
    try {
      const files = Object.entries(states()).map(([state, html]) => {
        const f = join(dir, `${state}.html`);
        writeFileSync(f, html);
        return f;
      });
      const r = spawnSync('java', ['-jar', vnuPath, '--errors-only', ...files], { encoding: 'utf8' });
      assert.equal(r.stderr + r.stdout, '');
      assert.equal(r.status, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
