// SPEC §5: the quiz script stays under 4 KB minified and gzipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET = 4096;
const source = readFileSync(new URL('../../themes/default/static/quiz.js', import.meta.url), 'utf8');
const gz = (s) => gzipSync(s, { level: 9 }).length;

/** A conservative minifier: drops comments and indentation, keeps every name (so it overestimates). */
export function strip(js) {
  return js
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .map((line) => line.replace(/^\s*\/\/.*$/, '').replace(/\s+\/\/ .*$/, '').trim())
    .filter(Boolean)
    .join('\n');
}

test(`quiz.js, comments and whitespace stripped, gzips to at most ${BUDGET} bytes`, (t) => {
  const n = gz(strip(source));
  t.diagnostic(`stripped+gzip: ${n} bytes (as shipped, gzip: ${gz(source)} bytes)`);
  assert.ok(n <= BUDGET, `${n} bytes > ${BUDGET}`);
});

test(`quiz.js minified by terser gzips to at most ${BUDGET} bytes`, async (t) => {
  let terser;
  try {
    terser = await import('terser');
  } catch {
    t.skip('terser is not installed (npm ci installs it from package-lock.json)');
    return;
  }
  const { code } = await terser.minify(source, { module: true, compress: true, mangle: true });
  const n = gz(code);
  t.diagnostic(`terser+gzip: ${n} bytes`);
  assert.ok(n <= BUDGET, `${n} bytes > ${BUDGET}`);
});
