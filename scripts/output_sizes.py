#!/usr/bin/env python3
"""Not a test: the bytes of a tandem output folder by kind of file, and of its guide pages by region
of the default theme (issue 12.2). Usage: python3 scripts/output_sizes.py OUTPUT_DIR"""
import os, re, sys
root = sys.argv[1]
kinds = {}
regions = {}
npages = 0
R = [
 ("head", r"<!DOCTYPE html>.*?</head>"),
 ("site-nav", r'<nav class="site-nav".*?</nav>'),
 ("search", r'<form class="search".*?</form>'),
 ("breadcrumbs", r'<nav class="breadcrumbs.*?</nav>'),
 ("toc", r'<nav class="toc".*?</nav>'),
 ("section-nav", r'<aside class="sidebar">.*?</aside>'),
 ("prev-next", r'<nav class="prev-next".*?</nav>'),
 ("footer", r'<footer.*?</footer>'),
 ("tags", r'<p class="tags">.*?</p>'),
]
for d, _, files in os.walk(root):
    for f in files:
        p = os.path.join(d, f); rel = os.path.relpath(p, root)
        size = os.path.getsize(p)
        parts = rel.split(os.sep)
        if parts[0] == 'search': k = 'search index'
        elif parts[0] == 'tags': k = 'tag pages'
        elif rel == 'index.html': k = 'home page'
        elif len(parts) == 2 and f == 'index.html': k = 'section pages'
        elif len(parts) == 3 and f == 'index.html': k = 'pages'
        elif f.endswith('.xml'): k = f
        else: k = 'other'
        kinds[k] = kinds.get(k, 0) + size
        if k == 'pages':
            npages += 1
            s = open(p, encoding='utf-8').read()
            rest = s
            for name, rx in R:
                m = re.search(rx, rest, re.S)
                if m:
                    regions[name] = regions.get(name, 0) + len(m.group(0).encode())
                    rest = rest[:m.start()] + rest[m.end():]
            anchors = re.findall(r' ?<a (?:class="anchor" )?href="#[^"]*" aria-labelledby="[^"]*"></a>', rest)
            regions['anchors'] = regions.get('anchors', 0) + sum(len(a) for a in anchors)
            for a in anchors: rest = rest.replace(a, '', 1)
            ws = re.findall(r'>\s+<', rest)
            regions['whitespace between tags'] = regions.get('whitespace between tags', 0) + sum(len(w) - 2 for w in ws)
            rest2 = re.sub(r'>\s+<', '><', rest)
            regions['rest (prose etc)'] = regions.get('rest (prose etc)', 0) + len(rest2.encode())
total = sum(kinds.values())
print(f"total {total/1e6:.1f} MB; without search index {(total-kinds.get('search index',0))/1e6:.1f} MB")
for k, v in sorted(kinds.items(), key=lambda x: -x[1]): print(f"  {k:20} {v/1e6:8.2f} MB")
print(f"pages: {npages}, per page:")
for k, v in sorted(regions.items(), key=lambda x: -x[1]): print(f"  {k:25} {v/max(npages,1):8.0f} B")
