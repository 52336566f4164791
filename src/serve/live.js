// tandem serve: reloads this page when the site is rebuilt, swaps stylesheets in place when only
// CSS changed, and reloads when a build fails (the server then shows its errors over the page).
// Injected by `tandem serve` only; `tandem build` never writes it.
(() => {
  const script = document.currentScript;
  let version = script ? script.dataset.version : "";
  const source = new EventSource("/__tandem/events");
  const on = (name, handle) => source.addEventListener(name, (e) => handle(JSON.parse(e.data)));
  // A rebuild finished between this page's request and this connection: catch up.
  on("hello", (d) => { if (String(d.version) !== version) location.reload(); });
  on("reload", () => location.reload());
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
    }
  });
})();
