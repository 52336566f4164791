#!/usr/bin/env python3
"""Benchmark, not a test: hostile and pathological sites, each run through one or more tandem
binaries side by side, with exit status, wall and CPU time (user + sys), peak memory (GNU time)
and the bytes a build writes.

    benches/pathological.py [--only NAME,...] [--timeout S] [--command check|build] BIN [BIN...]

e.g. `benches/pathological.py old/tandem target/release/tandem` compares a build before a fix
with one after. "abort" is exit status 134 (a stack overflow), "panic" 101, "timeout" a run
killed after --timeout seconds; 1 is an error reported as such. Sites are generated under $BENCH_DIR (default
/tmp/tandem-pathological) and reused.
"""

import argparse
import os
import shutil
import subprocess
from pathlib import Path

TOML = 'title = "T"\nbase_url = "https://example.org"\n'
QUIZ_HEAD = "title: Q\nmode: knowledge\n"


def cases():
    """name → (files, site.toml); files map a path under the site to its text."""
    n = 6000
    out = {
        "quiz-deep-flow": {"content/q.yaml": QUIZ_HEAD + "questions: " + "[" * n + "]" * n + "\n"},
        "quiz-deep-map": {"content/q.yaml": QUIZ_HEAD + "questions: " + "{a: " * n + "1" + "}" * n + "\n"},
        "quiz-deep-block": {"content/q.yaml": QUIZ_HEAD + "questions:\n" + "- " * n + "x\n"},
        "fm-deep-50k": {"content/a.md": "---\ntitle: A\nextra: " + "{a: " * 50000 + "1" + "}" * 50000 + "\n---\nx\n"},
        "toml-deep-array": {"site.toml": TOML + "[extra]\nx = " + "[" * 10000 + "]" * 10000 + "\n"},
        "toml-deep-dotted": {"site.toml": TOML + "[extra]\n" + ".".join(["a"] * 10000) + " = 1\n"},
        "no-content": {"content/_index.md": None},
        "base-url-javascript": {"site.toml": 'title = "T"\nbase_url = "javascript:alert(1)"\n'},
        "headings-same-20k": {"content/a.md": "---\ntitle: A\n---\n" + "## a\n\n" * 20000},
        "headings-distinct-20k": {"content/a.md": "---\ntitle: A\n---\n" + "".join(f"## a{i}\n\n" for i in range(20000))},
        "headings-distinct-10k": {"content/a.md": "---\ntitle: A\n---\n" + "".join(f"## Heading {i}\n\nText.\n\n" for i in range(10000))},
        "list-page-1mb": {"content/a.md": "---\ntitle: A\n---\n" + "- item\n" * (1_000_000 // 7)},
        "list-page-5mb": {"content/a.md": "---\ntitle: A\n---\n" + "- item\n" * (5_000_000 // 7)},
        "list-page-20mb": {"content/a.md": "---\ntitle: A\n---\n" + "- item\n" * (20_000_000 // 7)},
        "list-page-50mb": {"content/a.md": "---\ntitle: A\n---\n" + "- item\n" * (50_000_000 // 7)},
        "prose-page-1mb": {"content/a.md": "---\ntitle: A\n---\n" + ("word " * 15 + "\n\n") * (1_000_000 // 77)},
        "prose-page-5mb": {"content/a.md": "---\ntitle: A\n---\n" + ("word " * 15 + "\n\n") * (5_000_000 // 77)},
        "prose-page-20mb": {"content/a.md": "---\ntitle: A\n---\n" + ("word " * 15 + "\n\n") * (20_000_000 // 77)},
        "prose-page-50mb": {"content/a.md": "---\ntitle: A\n---\n" + ("word " * 15 + "\n\n") * (50_000_000 // 77)},
        "sections-flat-2000": {f"content/s{i}/_index.md": f"---\ntitle: S{i}\n---\n" for i in range(2000)},
        "sections-tree-2000": {f"content/t{i // 50}/s{i}/_index.md": f"---\ntitle: S{i}\n---\n" for i in range(2000)},
    }
    for depth in (250, 500, 1000):
        chain, path = {}, "content"
        for i in range(depth):
            path += "/a"
            chain[path + "/_index.md"] = f"---\ntitle: S{i}\n---\n"
        out[f"sections-chain-{depth}"] = chain
    return out


def write_site(root, files):
    if root.exists():
        return
    tmp = root.with_name(root.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    files = {"site.toml": TOML, "content/_index.md": "---\ntitle: Home\n---\nHi\n", **files}
    for rel, text in files.items():
        if text is None:
            continue
        p = tmp / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    tmp.rename(root)


def remove(folder):
    # rm, not shutil.rmtree: rmtree recurses once per folder level, past Python's limit on deep chains.
    subprocess.run(["rm", "-rf", str(folder)], check=True)


def output_bytes(folder):
    # find, not Path.rglob, for the same reason.
    sizes = subprocess.run(["find", str(folder), "-type", "f", "-printf", "%s\n"], capture_output=True, text=True)
    return sum(int(size) for size in sizes.stdout.split())


def run(binary, command, site, timeout):
    out = site / "public"
    remove(out)
    timing = site.parent / "time.txt"
    # `timeout` kills tandem itself; its status is 124 then, and 128 + N after signal N (134: abort).
    subprocess.run(
        ["/usr/bin/time", "-f", "%e %U %S %M", "-o", str(timing), "timeout", str(timeout), binary, command, "--root", str(site)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    written = output_bytes(out) if out.is_dir() else 0
    remove(out)
    lines = timing.read_text().strip().splitlines()
    status = "0"
    for line in lines:
        if line.startswith("Command exited with non-zero status"):
            status = line.split()[-1]
            status = {"124": "timeout", "134": "abort", "101": "panic"}.get(status, status)
        elif line.startswith("Command terminated by signal"):
            signal = line.split()[-1]
            status = "abort" if signal == "6" else "signal " + signal
    wall, user, system, peak = lines[-1].split()
    return status, wall, f"{float(user) + float(system):.2f}", f"{int(peak) // 1024}", f"{written / 1e6:.1f}"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("binaries", nargs="+")
    p.add_argument("--only", default="")
    p.add_argument("--timeout", type=int, default=60)
    p.add_argument("--command", default="build", choices=["build", "check"])
    args = p.parse_args()
    work = Path(os.environ.get("BENCH_DIR", "/tmp/tandem-pathological"))
    work.mkdir(parents=True, exist_ok=True)
    only = set(filter(None, args.only.split(",")))
    print(f"{'case':24} {'binary':28} {'exit':>9} {'wall s':>8} {'CPU s':>8} {'peak MB':>8} {'out MB':>8}")
    for name, files in cases().items():
        if only and name not in only:
            continue
        site = work / name
        write_site(site, files)
        for binary in args.binaries:
            status, wall, cpu, peak, written = run(binary, args.command, site, args.timeout)
            print(f"{name:24} {binary[-28:]:28} {status:>9} {wall:>8} {cpu:>8} {peak:>8} {written:>8}", flush=True)


if __name__ == "__main__":
    main()
