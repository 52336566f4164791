#!/usr/bin/env node
// Writes the quiz scripts as pages load them, from themes/default/static/quiz.js, with terser (pinned in
// package-lock.json, so the output is reproducible):
//   quiz.min.js        every feature;
//   quiz-basic.min.js  without EXTRAS (SPEC §3.1-3.3 but share links), for pages whose quizzes need none
//                      of them (src/quiz/view.rs `QuizScript`): the source's `const EXTRAS = true;` is
//                      set to false and terser drops every branch it guards.
// tests/js/size.test.mjs fails when a copy is stale: run `npm run minify` after editing quiz.js.
import { readFileSync, writeFileSync } from 'node:fs';

export const SOURCE = new URL('../themes/default/static/quiz.js', import.meta.url);
const EXTRAS_ON = 'const EXTRAS = true;';

/** The scripts written, by file name: how each is made from the source text. */
export const SCRIPTS = {
  'quiz.min.js': (source) => source,
  'quiz-basic.min.js': (source) => {
    if (!source.includes(EXTRAS_ON)) throw new Error(`quiz.js must declare \`${EXTRAS_ON}\``);
    return source.replace(EXTRAS_ON, 'const EXTRAS = false;');
  },
};
export const minified = (name) => new URL(`../themes/default/static/${name}`, import.meta.url);
// Keeps the module's exports (the node tests import the source, pages the copies).
export const OPTIONS = { module: true, compress: { passes: 2 }, mangle: true, format: { comments: false } };

/** The minified copy `name` (a key of SCRIPTS) of the quiz.js text `source`. */
export async function minify(source, name = 'quiz.min.js') {
  const { minify } = await import('terser');
  const { code } = await minify(SCRIPTS[name](source), OPTIONS);
  return `// Made from quiz.js by scripts/minify-quiz.mjs\n${code}\n`;
}

if (import.meta.url == `file://${process.argv[1]}`) {
  const source = readFileSync(SOURCE, 'utf8');
  for (const name of Object.keys(SCRIPTS)) writeFileSync(minified(name), await minify(source, name));
}
