// tandem default theme: the header search box, and keyboard access to tables or code that scroll
// sideways. No dependencies; every word shown comes from the HTML (data-msg-* attributes on the
// search form). The search engine (search.js) and its index load only when the box gets focus.

const MAX = 8;
/** Typing faster than this fetches nothing for the letters in between. */
const DEBOUNCE_MS = 80;

function search(form) {
  const input = form.querySelector("[data-search-input]");
  const list = form.querySelector("[data-search-results]");
  const status = form.querySelector("[data-search-status]");
  if (!input || !list) return;
  const msg = (key, n) => (form.dataset["msg" + key] || "").replace("{n}", n.toLocaleString());
  const say = (text) => status && (status.textContent = text);
  const links = () => [...list.querySelectorAll("a")];
  const close = () => {
    list.hidden = true;
    say("");
  };
  const open = () => {
    list.hidden = false;
  };
  let engine = null;
  let timer = 0;
  let asked = 0;

  // The engine and the index's manifest, once, on first focus; a failure is tried again next time.
  const load = () =>
    (engine ||= import(new URL("search.js", import.meta.url).href)
      .then((m) => m.open(form.dataset.index))
      .catch((e) => {
        engine = null;
        throw e;
      }));

  const note = (text) => {
    const li = document.createElement("li");
    li.className = "search-empty";
    li.textContent = text;
    list.replaceChildren(li);
    open();
    say(text);
  };

  const span = (className, pieces) => {
    const el = document.createElement("span");
    el.className = className;
    for (const p of pieces) {
      if (p.mark) {
        const mark = document.createElement("mark");
        mark.textContent = p.text;
        el.append(mark);
      } else {
        el.append(p.text);
      }
    }
    return el;
  };

  const show = (answer) => {
    if (!answer.total) return note(msg("None", 0));
    list.replaceChildren(
      ...answer.results.map((r) => {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = r.url;
        a.append(span("search-title", [{ text: r.title, mark: false }]));
        if (r.heading) a.append(span("search-heading", [{ text: r.heading, mark: false }]));
        if (r.snippet.length) a.append(span("search-snippet", r.snippet));
        li.append(a);
        return li;
      }),
    );
    open();
    say(answer.total === 1 ? msg("One", 1) : msg("Many", answer.total));
  };

  const run = async () => {
    const query = input.value;
    const mine = ++asked;
    if (!query.trim()) {
      list.replaceChildren();
      close();
      return;
    }
    try {
      const e = await load();
      const answer = await e.search(query, { limit: MAX, isStale: () => mine !== asked });
      if (answer && mine === asked) {
        if (!answer.words.length) note(msg("None", 0));
        else show(answer);
      }
    } catch {
      if (mine === asked) note(msg("Error", 0));
    }
  };
  const update = () => {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  };

  input.addEventListener("focus", () => (input.value ? update() : load().catch(() => {})));
  input.addEventListener("input", update);

  // Enter goes to the first result (or the focused one): there is no search page to submit to.
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
      // A query still on its way (typed just before) must not open the results again.
      clearTimeout(timer);
      asked++;
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
  form.dataset.searchReady = "";
}

// Only forms not set up yet: `tandem serve` runs this script again after patching a page.
document.querySelectorAll("form[data-search]:not([data-search-ready])").forEach(search);

// Rust code keeps rustdoc's hidden lines in the page; a button shows them. Its words come from
// the page (data-msg-show-hidden / data-msg-hide-hidden on <body>).
// Only blocks without their button yet: `tandem serve` runs this script again after patching a page.
for (const pre of document.querySelectorAll("pre[data-hidden-lines]:not([data-toggle-ready])")) {
  const words = document.body.dataset;
  if (!words.msgShowHidden) break;
  pre.dataset.toggleReady = "";
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
