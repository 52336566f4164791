#!/usr/bin/env python3
"""Load test of `tandem serve --watch`: concurrent clients while a writer edits the site.

    scripts/load_test.py [--short] [--bin PATH] [--connections N] [--requests N] [--edits N]

Copies the repository's own site (content/, site.toml) into a temporary folder, serves it on
127.0.0.1 with --watch, and then, at the same time:

- N client threads (default 50), each on its own kept-alive connection (reconnecting when the
  server closes one), request pages, stylesheets, scripts, the search index and missing paths,
  until the request budget is spent;
- a writer edits guides, creates new ones, deletes and renames them, and edits the stylesheet.

It fails (exit 1) on any 5xx response, any truncated response (a body shorter than its
Content-Length, or an HTML page cut off before </html>), memory that keeps growing (peak RSS of
the last third of the run over 1.5x that of the first third plus 32 MB), or a final served site
that differs from a clean `tandem build` of the same files. Everything runs on loopback; the
request count is bounded. `--short` is the version ./scripts/test.sh runs.
"""

import argparse
import http.client
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INJECTED = re.compile(rb"<!-- tandem serve -->.*?<!-- /tandem serve -->", re.S)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--short", action="store_true", help="the quick version for the test command")
    p.add_argument("--bin", default=os.environ.get("TANDEM_BIN", str(ROOT / "target" / "debug" / "tandem")))
    p.add_argument("--connections", type=int, default=50)
    p.add_argument("--requests", type=int, default=None, help="total requests (default 30,000; --short 3,000)")
    p.add_argument("--edits", type=int, default=None, help="writer steps (default 120; --short 30)")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    a.requests = a.requests or (3000 if a.short else 30000)
    a.edits = a.edits or (30 if a.short else 120)
    return a


class Server:
    """`tandem serve --watch` on a free port, its stdout lines collected."""

    def __init__(self, binary, site):
        self.proc = subprocess.Popen(
            [binary, "serve", "--watch", "--port", "0", "--root", str(site)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1"},
        )
        self.lines, self.stderr = [], []
        self.lock = threading.Lock()
        threading.Thread(target=self._read, args=(self.proc.stdout, self.lines), daemon=True).start()
        threading.Thread(target=self._read, args=(self.proc.stderr, self.stderr), daemon=True).start()
        first = self.wait_for(lambda l: l.startswith("serving the site at "), 30)
        self.url = first.split("serving the site at ")[1].split(" ")[0].rstrip("/")
        self.host, self.port = self.url.removeprefix("http://").rsplit(":", 1)
        self.wait_for(lambda l: l.startswith("built "), 120)

    def _read(self, pipe, into):
        for raw in pipe:
            with self.lock:
                into.append(raw.decode("utf-8", "replace").rstrip("\n"))

    def wait_for(self, match, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self.lock:
                for line in self.lines:
                    if match(line):
                        return line
            if self.proc.poll() is not None:
                sys.exit(f"the server exited ({self.proc.returncode}): {''.join(self.stderr)}")
            time.sleep(0.02)
        sys.exit(f"timed out waiting; stdout: {self.lines[-5:]}")

    def rss_kb(self):
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def get(self, path, conn=None):
        own = conn is None
        conn = conn or http.client.HTTPConnection(self.host, int(self.port), timeout=30)
        try:
            conn.request("GET", path)
            r = conn.getresponse()
            return r.status, dict(r.getheaders()), r.read()
        finally:
            if own:
                conn.close()

    def files(self):
        status, _, body = self.get("/__tandem/files")
        assert status == 200, status
        out = {}
        for path in body.decode().splitlines():
            status, _, data = self.get("/" + path.replace(" ", "%20"))
            out[path] = INJECTED.sub(b"", data)
        return out

    def stop(self):
        self.proc.kill()
        self.proc.wait()


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.statuses = {}
        self.problems = []

    def record(self, status, problem=None):
        with self.lock:
            self.requests += 1
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if problem and len(self.problems) < 20:
                self.problems.append(problem)


def client(server, paths, budget, stats, rng):
    conn = None
    while True:
        with budget["lock"]:
            if budget["left"] <= 0:
                break
            budget["left"] -= 1
        path = rng.choice(paths)
        try:
            conn = conn or http.client.HTTPConnection(server.host, int(server.port), timeout=30)
            conn.request("GET", path)
            r = conn.getresponse()
            body = r.read()
            length = r.getheader("Content-Length")
            problem = None
            if r.status >= 500:
                problem = f"{path}: {r.status}"
            elif length is not None and int(length) != len(body):
                problem = f"{path}: {len(body)} of {length} bytes"
            elif (r.getheader("Content-Type") or "").startswith("text/html") and b"</html>" not in body[-64:]:
                problem = f"{path}: an HTML page cut off: ...{body[-60:]!r}"
            stats.record(r.status, problem)
            if r.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except (http.client.IncompleteRead) as e:
            stats.record("truncated", f"{path}: {e!r}")
            conn = None
        except (ConnectionError, http.client.HTTPException, OSError):
            # The server may close a kept-alive connection between requests: reconnect and retry.
            conn = None
            with budget["lock"]:
                budget["left"] += 1
    if conn:
        conn.close()


def writer(site, steps, rng, log, done):
    guides = site / "content" / "guides"
    made = []
    style = site / "themes" / "default" / "static" / "style.css"
    for step in range(steps):
        action = rng.choice(["edit", "edit", "create", "delete", "rename", "style"])
        if action == "create" or (action in ("delete", "rename") and not made):
            name = f"load-{step}.md"
            (guides / name).write_text(f"---\ntitle: Load {step}\nweight: {900 + step}\n---\n## Part\n\nMade by step {step}.\n")
            made.append(name)
        elif action == "delete":
            (guides / made.pop(rng.randrange(len(made)))).unlink()
        elif action == "rename":
            old = made.pop(rng.randrange(len(made)))
            new = f"renamed-{step}.md"
            (guides / old).rename(guides / new)
            made.append(new)
        elif action == "style" and style.exists():
            with style.open("a") as f:
                f.write(f"\n/* load step {step} */\n")
        else:
            page = rng.choice(sorted(p for p in guides.glob("*.md") if p.name != "_index.md"))
            with page.open("a") as f:
                f.write(f"\n\nA paragraph added by load step {step}.\n")
        log.append(action)
        time.sleep(rng.uniform(0.01, 0.25))
    done.set()


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="tandem-load-"))
    site = work / "site"
    site.mkdir()
    shutil.copytree(ROOT / "content", site / "content")
    shutil.copy(ROOT / "site.toml", site / "site.toml")
    shutil.copytree(ROOT / "themes", site / "themes")
    server = Server(args.bin, site)
    failures = []
    try:
        status, _, body = server.get("/__tandem/files")
        listed = ["/" + p.replace(" ", "%20") for p in body.decode().splitlines()]
        pages = [p.removesuffix("index.html") for p in listed if p.endswith("index.html")]
        paths = pages * 3 + listed + ["/missing/", "/guides/nope/", "/%2e%2e/site.toml", "/guides"]

        stats = Stats()
        budget = {"left": args.requests, "lock": threading.Lock()}
        samples = []
        writes, done = [], threading.Event()
        started = time.time()
        w = threading.Thread(target=writer, args=(site, args.edits, random.Random(args.seed + 1), writes, done))
        clients = [
            threading.Thread(target=client, args=(server, paths, budget, stats, random.Random(args.seed + 2 + i)))
            for i in range(args.connections)
        ]
        w.start()
        for c in clients:
            c.start()
        while any(c.is_alive() for c in clients) or w.is_alive():
            samples.append(server.rss_kb())
            time.sleep(0.1)
        elapsed = time.time() - started

        # Let the last rebuild finish: no new line on stdout for 1.5 s.
        quiet_since, seen = time.time(), len(server.lines)
        while time.time() - quiet_since < 1.5:
            time.sleep(0.1)
            if len(server.lines) != seen:
                seen, quiet_since = len(server.lines), time.time()

        out = work / "clean"
        run = subprocess.run([args.bin, "build", "--root", str(site), "--base-url", server.url, "--output", str(out)],
                             capture_output=True, text=True)
        if run.returncode != 0:
            failures.append(f"the clean build failed: {run.stderr}")
        expected = {
            str(p.relative_to(out)): p.read_bytes()
            for p in out.rglob("*") if p.is_file() and p.name != ".tandem-output"
        }
        # The server must settle on the clean build's site. Under heavy load its last rebuild can
        # start after the quiet spell above, so look again for a while before calling it stale.
        settle_by = time.time() + 30
        while True:
            served = server.files()
            differ = sorted(p for p in expected.keys() | served.keys() if expected.get(p) != served.get(p))
            if not differ or time.time() > settle_by:
                break
            time.sleep(0.5)
        if differ:
            failures.append(f"served != clean build for {len(differ)} files, e.g. {differ[:5]}")

        server_errors = sum(n for s, n in stats.statuses.items() if isinstance(s, int) and s >= 500)
        truncated = stats.statuses.get("truncated", 0)
        failures += stats.problems
        third = max(1, len(samples) // 3)
        first, last = max(samples[:third] or [0]), max(samples[-third:] or [0])
        if last > first * 1.5 + 32 * 1024:
            failures.append(f"memory kept growing: {first // 1024} MB in the first third, {last // 1024} MB in the last")
        rebuilds = sum(1 for l in server.lines if l.startswith("rebuilt "))
        print(
            f"load test: {stats.requests} requests over {args.connections} connections in {elapsed:.1f} s "
            f"({stats.requests / max(elapsed, 0.001):.0f}/s); statuses {dict(sorted(stats.statuses.items(), key=str))}; "
            f"{server_errors} 5xx, {truncated} truncated; {len(writes)} edits ({', '.join(sorted(set(writes)))}), "
            f"{rebuilds} rebuilds; server memory {first // 1024} MB (first third) → {last // 1024} MB (last third), "
            f"peak {max(samples) // 1024} MB; final site: {len(served)} files, "
            + ("same as a clean build" if not differ else f"{len(differ)} differ")
        )
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
