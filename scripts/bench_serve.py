#!/usr/bin/env python3
"""Edit → served latency of `tandem serve --watch` (a benchmark, not a test).

    python3 /work/shared/bench/gen_corpus.py 10000 /tmp/corpus --layouts neutral
    cargo build --release
    python3 scripts/bench_serve.py /tmp/corpus [--runs 21] [--tandem target/release/tandem]

Starts the server on the corpus's neutral site (port chosen by the OS, 127.0.0.1 only), connects
to its live-reload stream as an open page does, then for each run: appends a unique sentence to
the corpus's probe page, and times from just before the write until the edited page, fetched
after the server's `reload` event, contains that sentence. Prints every time and the median.
The probe page is put back as it was at the end.
"""

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time


def read_until(sock, buf, needle, deadline):
    while needle not in buf:
        if time.monotonic() > deadline:
            raise TimeoutError(f"no {needle!r} in time")
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the event stream closed")
        buf += chunk
    at = buf.index(needle) + len(needle)
    return buf[at:]


def get(addr, path):
    with socket.create_connection(addr, timeout=10) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while True:
            chunk = s.recv(1 << 20)
            if not chunk:
                return data
            data += chunk


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", help="the folder gen_corpus.py wrote (with corpus.json)")
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--tandem", default=os.path.join(os.path.dirname(__file__), "..", "target", "release", "tandem"))
    args = ap.parse_args()

    with open(os.path.join(args.corpus, "corpus.json")) as f:
        probe = json.load(f)["probe"]
    root = os.path.join(args.corpus, "neutral")
    page_file = os.path.join(root, probe["files"]["neutral"])
    url_path = probe["urls"]["neutral"]
    with open(page_file, encoding="utf-8") as f:
        original = f.read()

    server = subprocess.Popen(
        [args.tandem, "serve", "--watch", "--port", "0", "--root", root],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        first = server.stdout.readline()
        host, port = first.split("http://")[1].split("/")[0].rsplit(":", 1)
        addr = (host, int(port))
        built = server.stdout.readline().strip()
        print(f"initial build: {built}", file=sys.stderr)

        events = socket.create_connection(addr, timeout=10)
        events.sendall(b"GET /__tandem/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        buf = read_until(events, b"", b"event: hello", time.monotonic() + 30)

        times = []
        for run in range(args.runs):
            marker = f"Benchmark sentence {run}-{random.randrange(1 << 30)}."
            text = original + f"\n{marker}\n"
            start = time.perf_counter()
            with open(page_file, "w", encoding="utf-8") as f:
                f.write(text)
            buf = read_until(events, buf, b"event: reload", time.monotonic() + 30)
            body = get(addr, url_path)
            elapsed = (time.perf_counter() - start) * 1000
            if marker.encode() not in body:
                raise SystemExit(f"run {run}: the page served after the reload event lacks the edit")
            times.append(elapsed)
            server_line = server.stdout.readline().strip()
            print(f"run {run:2}: {elapsed:6.1f} ms   (server: {server_line})", file=sys.stderr)
            time.sleep(0.3)
        print(f"edit → served on {probe['files']['neutral']}: median {statistics.median(times):.1f} ms, "
              f"min {min(times):.1f} ms, max {max(times):.1f} ms over {len(times)} runs")
    finally:
        with open(page_file, "w", encoding="utf-8") as f:
            f.write(original)
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
