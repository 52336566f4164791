// tandem serve: keeps an open page up to date. After a rebuild it fetches the page again and
// patches the document in place, changing only what the rebuild changed, so the reader keeps
// their scroll position, focus, open <details> and what they typed into forms. Stylesheets that
// changed alone are swapped. The page reloads instead when its scripts changed, when a build
// failed (the server then shows its errors over the page) or when a patch fails.
// Injected by `tandem serve` only; `tandem build` never writes it.
(() => {
  const script = document.currentScript;
  let version = script ? script.dataset.version : "";
  const START = " tandem serve ";

  // A three-way merge: `served` is the page as the server sent it, `live` maps each of its nodes
  // to the node on screen. A node the server did not change is never touched, so what the
  // theme's scripts and the reader did to it stays; a node it changed gets exactly that change.
  // The copy is taken now, while the page is as parsed: this script runs before the theme's
  // deferred and module scripts.
  const live = new WeakMap();
  const onScreen = new WeakSet();
  const pairUp = (s, l) => {
    live.set(s, l);
    onScreen.add(l);
  };
  const linkTrees = (s, l) => {
    pairUp(s, l);
    for (let a = s.firstChild, b = l.firstChild; a && b; a = a.nextSibling, b = b.nextSibling) linkTrees(a, b);
  };
  // What the server injected (this script, the error overlay) and everything after it is the
  // server's, not the site's: left out of the comparison.
  const trim = (doc) => {
    const walk = doc.createTreeWalker(doc.body, NodeFilter.SHOW_COMMENT);
    let start = null;
    while (walk.nextNode()) if (walk.currentNode.data === START) start = walk.currentNode;
    for (let n = start; n && n !== doc.body; n = n.parentNode) {
      while (n.nextSibling) n.nextSibling.remove();
    }
    start?.remove();
    return doc;
  };
  // <noscript> holds text on this page (scripts run here) but elements in a parsed one (they do
  // not): both sides hold it as the markup serialised, so that an unchanged one compares equal.
  const noscript = (doc, parsed) => {
    for (const n of doc.querySelectorAll("noscript")) {
      if (parsed) n.textContent = n.innerHTML;
      else {
        const t = document.createElement("template");
        t.innerHTML = n.textContent;
        n.textContent = t.innerHTML;
      }
    }
    return doc;
  };
  const served = noscript(document.cloneNode(true), false);
  linkTrees(served, document);
  trim(served);

  // Anything that changes what runs means a reload: scripts are not patched in. Data blocks
  // (`<script type="application/json">`) are content, patched like any other.
  const runs = (s) => /^(|module|importmap|(text|application)\/(java|ecma)script)$/i.test(s.type.trim());
  const scripts = (doc) =>
    [...doc.querySelectorAll("script")]
      .filter(runs)
      .map((s) => `${s.type}|${s.getAttribute("src")}|${s.hasAttribute("src") ? "" : s.text}`)
      .join("\n");
  const key = (n) => (n.nodeType === 1 ? `${n.nodeName}#${n.id}` : `#${n.nodeType}`);
  let created = false;

  // `n` (a node of the new page) is new: a copy goes on screen before `ref`, `n` into the copy.
  const insert = (lp, sp, n, ref, sref) => {
    const l = document.importNode(n, true);
    linkTrees(n, l);
    lp.insertBefore(l, ref);
    sp.insertBefore(n, sref);
    created ||= n.nodeType === 1;
    return l;
  };

  const attributes = (l, s, n) => {
    for (const { name, value } of n.attributes) {
      if (s.getAttribute(name) !== value) l.setAttribute(name, value), s.setAttribute(name, value);
    }
    for (const { name } of [...s.attributes]) {
      if (!n.hasAttribute(name)) l.removeAttribute(name), s.removeAttribute(name);
    }
  };

  // What the reader entered in form `from`, into the same fields of form `to`.
  const carry = (from, to) => {
    for (const old of from.elements) {
      if (!old.name) continue;
      for (const field of to.elements) {
        if (field.name !== old.name || field.type !== old.type) continue;
        if (/^(radio|checkbox)$/.test(old.type)) {
          if (field.value === old.value) field.checked = old.checked;
        } else if ("value" in field && old.type !== "file") field.value = old.value;
      }
    }
  };

  // Makes `l` (on screen) and `s` (its served copy) what `n` is; they have the same key.
  const patch = (l, s, n) => {
    if (s.isEqualNode(n)) return;
    if (n.nodeType !== 1) {
      l.nodeValue = s.nodeValue = n.nodeValue;
    } else {
      attributes(l, s, n);
      children(l, s, n);
    }
  };

  // The next sibling on screen that the served copy knows, skipping what scripts added.
  const nextKnown = (l) => {
    let x = l.nextSibling;
    while (x && !onScreen.has(x)) x = x.nextSibling;
    return x;
  };

  const children = (lp, sp, np) => {
    const S = [...sp.childNodes], N = [...np.childNodes];
    let a = 0, se = S.length, ne = N.length;
    while (a < se && a < ne && S[a].isEqualNode(N[a])) a++;
    while (se > a && ne > a && S[se - 1].isEqualNode(N[ne - 1])) se--, ne--;
    if (a === se && a === ne) return;
    // Pairs in the changed middle: same place when as many nodes came as went, else the next
    // equal node close ahead, else the next one of the same kind.
    const pairs = new Map();
    if (se - a === ne - a) {
      for (let i = a; i < ne; i++) if (key(S[i]) === key(N[i])) pairs.set(N[i], S[i]);
    } else {
      for (let i = a, j = a; i < ne && j < se; i++) {
        let k = j;
        while (k < se && k < j + 32 && !S[k].isEqualNode(N[i])) k++;
        if (k < se && k < j + 32) pairs.set(N[i], S[k]), (j = k + 1);
        else if (key(S[j]) === key(N[i]) && !(i + 1 < ne && S[j].isEqualNode(N[i + 1]))) pairs.set(N[i], S[j++]);
      }
    }
    const sref = S[se] || null;
    const lref = sref ? live.get(sref) : S.length ? nextKnown(live.get(S[S.length - 1])) : null;
    const kept = new Set(pairs.values());
    for (let i = a; i < se; i++) {
      if (kept.has(S[i])) continue;
      live.get(S[i])?.remove();
      S[i].remove();
    }
    // Back to front, so each node goes before the one after it.
    let l = lref, s = sref;
    for (let i = ne - 1; i >= a; i--) {
      const n = N[i], old = pairs.get(n);
      if (!old) {
        l = insert(lp, sp, n, l, s);
        s = n;
        continue;
      }
      const lo = live.get(old);
      if (!lo || lo.parentNode !== lp) throw new Error("a node of the page was moved or removed");
      if (n.nodeName === "FORM" && !old.isEqualNode(n)) {
        // A form the server changed is put in whole, so that the theme's scripts enhance the
        // new one, with what the reader entered in the fields that are still there.
        const fresh = insert(lp, sp, n, l, s);
        carry(lo, fresh);
        lo.remove();
        old.remove();
        (l = fresh), (s = n);
        continue;
      }
      if (nextKnown(lo) !== l) lp.insertBefore(lo, l);
      if (old.nextSibling !== s) sp.insertBefore(old, s);
      patch(lo, old, n);
      (l = lo), (s = old);
    }
  };

  // Runs the page's scripts again after new elements came in: the theme's scripts enhance what
  // is not enhanced yet (quizzes, the search form), so running them again is how new ones work.
  const rerun = () => {
    for (const old of document.querySelectorAll("script[src]")) {
      if (old === script || old.closest("#tandem-overlay")) continue;
      const url = new URL(old.src, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set("tandem", version);
      if (old.type === "module") import(url.href).catch((e) => console.error(e));
      else {
        const fresh = document.createElement("script");
        fresh.src = url.href;
        fresh.async = false;
        fresh.onload = fresh.onerror = () => fresh.remove();
        document.body.append(fresh);
      }
    }
  };

  const apply = (html) => {
    const next = noscript(trim(new DOMParser().parseFromString(html, "text/html")), true);
    if (scripts(next) !== scripts(served)) return location.reload();
    const focused = document.activeElement;
    const [start, end] = [focused?.selectionStart, focused?.selectionEnd];
    created = false;
    attributes(document.documentElement, served.documentElement, next.documentElement);
    patch(document.head, served.head, next.head);
    patch(document.body, served.body, next.body);
    if (document.title !== next.title) document.title = next.title;
    if (focused && focused.isConnected && document.activeElement !== focused) {
      focused.focus({ preventScroll: true });
      if (start != null) try { focused.setSelectionRange(start, end); } catch {}
    }
    if (created) rerun();
  };

  // Updates run one at a time; changes that come in during one are taken by a single next one.
  let running = null, again = false;
  const update = () => {
    if (running) return void (again = true);
    running = fetch(location.href, { cache: "no-store" })
      .then((r) => (r.ok && !r.redirected ? r.text() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then(apply)
      .catch((e) => {
        console.error("tandem: reloading, the page could not be updated in place:", e);
        location.reload();
      })
      .finally(() => {
        running = null;
        if (again) (again = false), update();
      });
  };

  // This page's output file, as the server names it (`guides/one/index.html`).
  let file = null;
  try {
    file = decodeURIComponent(location.pathname).slice(1);
    if (file === "" || file.endsWith("/")) file += "index.html";
  } catch {}

  const source = new EventSource("/__tandem/events");
  const on = (name, handle) => source.addEventListener(name, (e) => handle(JSON.parse(e.data)));
  // A rebuild finished between this page's request and this connection: catch up.
  on("hello", (d) => { if (String(d.version) !== version) (version = String(d.version)), update(); });
  on("reload", (d) => {
    version = String(d.version);
    if (d.errors || document.getElementById("tandem-overlay")) return location.reload();
    if (!d.pages || file == null || d.pages.includes(file)) update();
  });
  on("css", (d) => {
    version = String(d.version);
    for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin || !d.paths.includes(url.pathname)) continue;
      url.searchParams.set("tandem", d.version);
      const fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.onload = () => link.remove();
      link.after(fresh);
      // The served copy's link now stands for the fresh one.
      for (const s of served.querySelectorAll('link[rel~="stylesheet"]')) {
        if (live.get(s) === link) pairUp(s, fresh);
      }
    }
  });
})();
