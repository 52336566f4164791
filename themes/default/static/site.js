// tandem default theme: header search over the site's JSON index, and keyboard access to
// tables or code that scroll sideways. No dependencies; every word shown comes from the HTML.

const fold = (s) => (s || "").normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

function search(form) {
  const input = form.querySelector("[data-search-input]");
  const list = form.querySelector("[data-search-results]");
  const status = form.querySelector("[data-search-status]");
  if (!input || !list) return;
  const msg = (k, n) => (form.dataset["msg" + k] || "").replace("{n}", n);
  let index = null;
  let loading = null;

  const load = () =>
    (loading ||= fetch(form.dataset.index, { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((items) => {
        index = items.map((i) => ({ i, title: fold(i.t), rest: fold(i.d + " " + i.s) }));
      })
      .catch(() => {
        loading = null;
        say(msg("Error"));
      }));

  const say = (text) => {
    if (status) status.textContent = text;
  };
  const links = () => [...list.querySelectorAll("a")];
  const close = () => {
    list.hidden = true;
  };

  const show = () => {
    if (!index) return;
    const words = fold(input.value).trim().split(/\s+/).filter(Boolean);
    list.replaceChildren();
    if (!words.length) {
      close();
      say("");
      return;
    }
    const hits = [];
    for (const e of index) {
      let score = 0;
      for (const w of words) {
        const t = e.title.indexOf(w);
        if (t >= 0) score += t === 0 || e.title[t - 1] === " " ? 3 : 2;
        else if (e.rest.includes(w)) score += 1;
        else {
          score = 0;
          break;
        }
      }
      if (score) hits.push([score, e.i]);
    }
    hits.sort((a, b) => b[0] - a[0]);
    for (const [, i] of hits.slice(0, 8)) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = i.u;
      const t = document.createElement("span");
      t.textContent = i.t;
      a.append(t);
      if (i.s) {
        const s = document.createElement("span");
        s.textContent = i.s;
        a.append(s);
      }
      li.append(a);
      list.append(li);
    }
    if (!hits.length) {
      const li = document.createElement("li");
      li.className = "search-empty";
      li.textContent = msg("None");
      list.append(li);
    }
    list.hidden = false;
    const n = Math.min(hits.length, 8);
    say(n === 0 ? msg("None") : n === 1 ? msg("One", n) : msg("Many", n));
  };

  const update = () => (index ? show() : load().then(show));
  input.addEventListener("focus", load, { once: true });
  input.addEventListener("input", update);
  input.addEventListener("focus", () => input.value && update());

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const first = links()[0];
    if (first) location.href = first.href;
  });

  form.addEventListener("keydown", (ev) => {
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (ev.key === "Escape") {
      if (list.hidden) input.value = "";
      close();
      input.focus();
    } else if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (!all.length || list.hidden) return;
      ev.preventDefault();
      const step = ev.key === "ArrowDown" ? 1 : -1;
      const next = at + step;
      if (next < 0) input.focus();
      else all[Math.min(next, all.length - 1)].focus();
    } else return;
    ev.stopPropagation();
  });

  // Safari does not focus a link on click, so a click outside closes, not every focusout.
  form.addEventListener("focusout", (ev) => {
    if (ev.relatedTarget && !form.contains(ev.relatedTarget)) close();
  });
  document.addEventListener("click", (ev) => {
    if (!form.contains(ev.target)) close();
  });

  form.hidden = false;
}

document.querySelectorAll("form[data-search]").forEach(search);

// A region that scrolls must be reachable by keyboard (WCAG 2.1.1).
for (const el of document.querySelectorAll(".prose table, .prose pre")) {
  if (el.scrollWidth > el.clientWidth + 1 && !el.hasAttribute("tabindex")) el.tabIndex = 0;
}
