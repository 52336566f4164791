#!/usr/bin/env python3
"""A synthetic mdBook book shaped like the interactive Rust Book, for benches/import.sh.

    benches/gen_mdbook.py OUT_DIR [--chapters 120] [--quizzes 90] [--includes 680] [--seed 1]

Writes OUT_DIR/book.toml, OUT_DIR/src/SUMMARY.md with prefix chapters, parts, chapters nested
two deep and a suffix chapter; chapters with prose, headings, cross-chapter links (x.md#a and
x.html#a), images; listings under OUT_DIR/listings included with every form (whole, ranges,
anchors, rustdoc_include); and mdbook-quiz quizzes with all three question types.
"""
import argparse
import os
import random

WORDS = ("ownership borrow lifetime trait generic closure iterator pattern match enum struct "
         "module crate cargo test error result option vector string slice reference pointer "
         "thread channel mutex async future macro unsafe").split()


def sentence(rng, n=14):
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--chapters", type=int, default=120)
    ap.add_argument("--quizzes", type=int, default=90)
    ap.add_argument("--includes", type=int, default=680)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    src = os.path.join(a.out, "src")
    os.makedirs(os.path.join(src, "img"), exist_ok=True)
    os.makedirs(os.path.join(a.out, "quizzes"), exist_ok=True)
    with open(os.path.join(a.out, "book.toml"), "w") as f:
        f.write('[book]\ntitle = "Synthetic Book"\ndescription = "Generated."\nlanguage = "en"\n\n'
                '[preprocessor.quiz]\n\n[output.html]\nsmart-punctuation = true\n')
    with open(os.path.join(src, "img", "figure.svg"), "w") as f:
        f.write('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>\n')

    names = [f"ch{i // 6 + 1:02d}-{i % 6:02d}-topic" for i in range(a.chapters)]
    summary = ["# Summary\n", "[Foreword](foreword.md)\n"]
    parts = 4
    per_part = max(1, a.chapters // parts)
    for i, name in enumerate(names):
        if i % per_part == 0 and i // per_part < parts:
            summary.append(f"\n# Part {i // per_part + 1}\n\n")
        depth = 0 if i % 6 == 0 else (1 if i % 3 else 2)
        summary.append("    " * depth + f"- [Topic {i + 1}]({name}.md)\n")
    summary.append("\n---\n\n[Appendix](appendix.md)\n")
    with open(os.path.join(src, "SUMMARY.md"), "w") as f:
        f.write("".join(summary))
    for extra in ("foreword", "appendix"):
        with open(os.path.join(src, f"{extra}.md"), "w") as f:
            f.write(f"# {extra.capitalize()}\n\n{sentence(rng)}\n")

    quiz_every = a.chapters / max(1, a.quizzes)
    quiz_count = 0
    total_includes = 0
    for i, name in enumerate(names):
        lst = os.path.join(a.out, "listings", name)
        os.makedirs(lst, exist_ok=True)
        body = [f"# Topic {i + 1}\n\n{sentence(rng)} {sentence(rng)}\n\n"]
        includes_here = a.includes * (i + 1) // a.chapters - a.includes * i // a.chapters
        total_includes += includes_here
        for k in range(includes_here):
            path = os.path.join(lst, f"listing-{k}.rs")
            with open(path, "w") as f:
                f.write("use std::fmt;\n\n// ANCHOR: here\nfn main() {\n")
                for n in range(20):
                    f.write(f'    println!("{rng.choice(WORDS)} {n}");\n')
                f.write("}\n// ANCHOR_END: here\n")
            rel = f"../listings/{name}/listing-{k}.rs"
            form = (f"{{{{#include {rel}}}}}", f"{{{{#include {rel}:4:10}}}}", f"{{{{#include {rel}:here}}}}",
                    f"{{{{#rustdoc_include {rel}:here}}}}", f"{{{{#rustdoc_include {rel}:5}}}}")[k % 5]
            body.append(f"## Listing {k + 1}\n\n{sentence(rng, 30)}\n\n```rust\n{form}\n```\n\n")
        other = names[rng.randrange(len(names))]
        body.append(f"See [another topic]({other}.md#listing-1) and [its html form]({other}.html).\n\n")
        body.append("![A figure](img/figure.svg)\n\n")
        if quiz_count < a.quizzes and i >= quiz_count * quiz_every:
            qname = f"{name}-quiz.toml"
            with open(os.path.join(a.out, "quizzes", qname), "w") as f:
                f.write('[[questions]]\ntype = "MultipleChoice"\nprompt.prompt = "Which is it?"\n'
                        f'prompt.distractors = ["`{WORDS[0]}`", "`{WORDS[1]}`"]\nanswer.answer = "`{WORDS[2]}`"\n'
                        'context = "Because."\n\n'
                        '[[questions]]\ntype = "ShortAnswer"\nprompt.prompt = "Keyword?"\nanswer.answer = "let"\n\n'
                        '[[questions]]\ntype = "Tracing"\nprompt.program = """\nfn main() {\n    println!(\\"1\\");\n}\n"""\n'
                        'answer.doesCompile = true\nanswer.stdout = "1"\n')
            body.append(f"{{{{#quiz ../quizzes/{qname}}}}}\n")
            quiz_count += 1
        with open(os.path.join(src, f"{name}.md"), "w") as f:
            f.write("".join(body))
    print(f"{a.chapters + 2} chapters, {total_includes} includes, {quiz_count} quizzes in {a.out}")


if __name__ == "__main__":
    main()
