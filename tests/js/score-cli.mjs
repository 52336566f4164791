#!/usr/bin/env node
// Scores with quiz.js for the Rust differential test: reads { "cases": [ { "data", "answers" } ] }
// as JSON on stdin and prints [result, ...] as JSON on stdout, one result per case, in order.
import { score } from '../../themes/default/static/quiz.js';

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) input += chunk;
try {
  const { cases } = JSON.parse(input);
  process.stdout.write(JSON.stringify(cases.map((c) => score(c.data, c.answers ?? {}))) + '\n');
} catch (e) {
  process.stderr.write(`score-cli: ${e.message}\n`);
  process.exit(1);
}
