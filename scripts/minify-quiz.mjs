#!/usr/bin/env node
// Writes themes/default/static/quiz.min.js, the quiz script as pages load it, from quiz.js with
// terser (pinned in package-lock.json, so the output is reproducible). tests/js/size.test.mjs
// fails when the copy is stale: run `npm run minify` after editing quiz.js.
import { readFileSync, writeFileSync } from 'node:fs';

export const SOURCE = new URL('../themes/default/static/quiz.js', import.meta.url);
export const MINIFIED = new URL('../themes/default/static/quiz.min.js', import.meta.url);
// Keeps the module's exports (the node tests import the source, pages the copy).
export const OPTIONS = { module: true, compress: { passes: 2 }, mangle: true, format: { comments: false } };

export async function minify(source) {
  const { minify } = await import('terser');
  const { code } = await minify(source, OPTIONS);
  return '// Minified from quiz.js by scripts/minify-quiz.mjs: edit quiz.js, then run `npm run minify`.\n' + code + '\n';
}

if (import.meta.url == `file://${process.argv[1]}`) {
  writeFileSync(MINIFIED, await minify(readFileSync(SOURCE, 'utf8')));
}
