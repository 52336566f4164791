#!/usr/bin/env node
// Scores with quiz.js for the Rust differential test: reads { "cases": [ { "data", "answers", "drawn"? } ] }
// as JSON on stdin and prints [result, ...] as JSON on stdout, one result per case, in order;
// or, given { "normalize": [string, ...] }, prints the strings normalised.
import { normalize, score } from '../../themes/default/static/quiz.js';

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
try {
  const { cases, normalize: strings } = JSON.parse(input);
  const out = strings ? strings.map(normalize) : cases.map((c) => score(c.data, c.answers ?? {}, c.drawn ?? undefined));
  process.stdout.write(JSON.stringify(out) + '\n');
} catch (e) {
  process.stderr.write(`score-cli: ${e.message}\n`);
  process.exit(1);
}
