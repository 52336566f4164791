// tandem default theme: the header search over the site's JSON index, and keyboard access to
// tables or code that scroll sideways. No dependencies; every word shown comes from the HTML
// (data-msg-* attributes on the search form).

const fold = (s) => (s || "").normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
const MAX = 8;

function search(form) {
  const input = form.querySelector("[data-search-input]");
  const list = form.querySelector("[data-search-results]");
  const status = form.querySelector("[data-search-status]");
  if (!input || !list) return;
  const msg = (key, n) => (form.dataset["msg" + key] || "").replace("{n}", n);
  const say = (text) => status && (status.textContent = text);
  const links = () => [...list.querySelectorAll("a")];
  const close = () => {
    list.hidden = true;
    say("");
  };
  let index = null;
  let loading = null;

  // Fetched once, on first focus or input; a failed fetch is tried again on the next input.
  const load = () =>
    (loading ||= fetch(form.dataset.index)
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((items) => {
        index = items.map((i) => ({ i, title: fold(i.t), rest: fold(`${i.d} ${i.s}`) }));
      })
      .catch(() => {
        loading = null;
      }));

  const note = (text) => {
    const li = document.createElement("li");
    li.className = "search-empty";
    li.textContent = text;
    list.replaceChildren(li);
    list.hidden = false;
    say(text);
  };

  // Every word must appear in the title, description or section; title hits rank first.
  const show = () => {
    const words = fold(input.value).trim().split(/\s+/).filter(Boolean);
    if (!words.length) {
      close();
      list.replaceChildren();
      say("");
      return;
    }
    if (!index) return note(msg("Error"));
    const hits = [];
    for (const e of index) {
      let score = 0;
      for (const w of words) {
        const at = e.title.indexOf(w);
        const s = at === 0 || e.title[at - 1] === " " ? 3 : at > 0 ? 2 : e.rest.includes(w) ? 1 : 0;
        if (!s) {
          score = 0;
          break;
        }
        score += s;
      }
      if (score) hits.push([score, e.i]);
    }
    if (!hits.length) return note(msg("None"));
    hits.sort((a, b) => b[0] - a[0]);
    list.replaceChildren(
      ...hits.slice(0, MAX).map(([, i]) => {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = i.u;
        for (const text of [i.t, i.s]) {
          if (!text) continue;
          const span = document.createElement("span");
          span.textContent = text;
          a.append(span);
        }
        li.append(a);
        return li;
      }),
    );
    list.hidden = false;
    const n = Math.min(hits.length, MAX);
    say(n === 1 ? msg("One", n) : msg("Many", n));
  };

  const update = () => (index ? show() : load().then(show));
  input.addEventListener("focus", () => (input.value ? update() : load()));
  input.addEventListener("input", update);

  // Enter goes to the first result: there is no search page to submit to.
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const first = links()[0];
    if (first && !list.hidden) location.href = first.href;
  });

  form.addEventListener("keydown", (ev) => {
    const all = links();
    if (ev.key === "Escape") {
      if (list.hidden) return; // the search field's own Escape clears it
      ev.preventDefault();
      close();
      input.focus();
    } else if ((ev.key === "ArrowDown" || ev.key === "ArrowUp") && all.length && !list.hidden) {
      ev.preventDefault();
      const next = all.indexOf(document.activeElement) + (ev.key === "ArrowDown" ? 1 : -1);
      (next < 0 ? input : all[Math.min(next, all.length - 1)]).focus();
    }
  });

  // Safari does not focus a link on click, so only a click outside, or focus moving elsewhere, closes.
  form.addEventListener("focusout", (ev) => {
    if (ev.relatedTarget && !form.contains(ev.relatedTarget)) close();
  });
  document.addEventListener("click", (ev) => form.contains(ev.target) || close());

  form.hidden = false;
}

document.querySelectorAll("form[data-search]").forEach(search);

// Rust code keeps rustdoc's hidden lines in the page; a button shows them. Its words come from
// the page (data-msg-show-hidden / data-msg-hide-hidden on <body>).
for (const pre of document.querySelectorAll("pre[data-hidden-lines]")) {
  const words = document.body.dataset;
  if (!words.msgShowHidden) break;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "code-toggle";
  button.setAttribute("aria-pressed", "false");
  button.textContent = words.msgShowHidden;
  button.addEventListener("click", () => {
    const shown = pre.classList.toggle("show-hidden");
    button.setAttribute("aria-pressed", String(shown));
    button.textContent = shown ? words.msgHideHidden || words.msgShowHidden : words.msgShowHidden;
  });
  pre.after(button);
}

// A region that scrolls must be reachable by keyboard (WCAG 2.1.1).
for (const el of document.querySelectorAll(".prose table, pre, math[display=block]")) {
  if (el.scrollWidth > el.clientWidth + 1 && !el.hasAttribute("tabindex")) el.tabIndex = 0;
}
