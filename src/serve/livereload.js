// Gazette live reload: added by `gazette serve` to every HTML page it
// serves, never to `gazette build` output.
(() => {
  "use strict";
  const OVERLAY_ID = "gazette-error-overlay";

  const here = () => {
    const path = decodeURIComponent(location.pathname);
    return path.endsWith("/") ? path + "index.html" : path;
  };

  const sameFile = (url, path) => {
    try {
      return decodeURIComponent(new URL(url, location.href).pathname) === path;
    } catch (_) {
      return false;
    }
  };

  const bust = (url) => {
    const u = new URL(url, location.href);
    u.searchParams.set("gazette-reload", Date.now().toString());
    return u.href;
  };

  const showError = (error) => {
    let overlay = document.getElementById(OVERLAY_ID);
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = OVERLAY_ID;
      overlay.setAttribute("role", "alert");
      overlay.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
        "background:rgba(20,20,20,.94);color:#fff;font:15px/1.6 ui-monospace,monospace;";
      document.body.appendChild(overlay);
    }
    overlay.replaceChildren();
    const title = document.createElement("h2");
    title.textContent = "Gazette: the last save did not build";
    title.style.cssText = "color:#ffb4a8;font:bold 18px/1.4 sans-serif;margin:0 0 1rem";
    const where = document.createElement("p");
    where.className = "gazette-error-location";
    where.textContent = error.location || "";
    where.style.cssText = "color:#ffd479;margin:0 0 .5rem";
    const message = document.createElement("pre");
    message.className = "gazette-error-message";
    message.textContent = error.message;
    message.style.cssText = "white-space:pre-wrap;margin:0 0 1rem";
    const note = document.createElement("p");
    note.textContent =
      "The server keeps showing the last good build. Fix the file and save: this message goes away by itself.";
    note.style.cssText = "color:#ccc;font-family:sans-serif";
    overlay.append(title, where, message, note);
  };

  const clearError = () => {
    const overlay = document.getElementById(OVERLAY_ID);
    if (overlay) overlay.remove();
  };

  const swapStylesheets = (paths) => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      if (paths.some((p) => sameFile(link.href, p))) {
        const fresh = link.cloneNode();
        fresh.href = bust(link.href);
        // Swap once the new sheet has loaded, so the page never flashes
        // unstyled.
        fresh.addEventListener("load", () => link.remove(), { once: true });
        fresh.addEventListener("error", () => link.remove(), { once: true });
        link.after(fresh);
      }
    }
  };

  const swapImages = (paths) => {
    for (const img of document.images) {
      if (paths.some((p) => sameFile(img.currentSrc || img.src, p))) {
        img.removeAttribute("srcset");
        img.src = bust(img.src);
      }
    }
  };

  const apply = (update) => {
    const page = here();
    if (update.other || (update.pages || []).some((p) => p === page)) {
      location.reload();
      return;
    }
    if (update.css && update.css.length) swapStylesheets(update.css);
    if (update.images && update.images.length) swapImages(update.images);
  };

  let retry = 250;
  const connect = () => {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(`${scheme}//${location.host}/__gazette/livereload`);
    socket.addEventListener("open", () => {
      retry = 250;
      document.documentElement.dataset.gazetteLiveReload = "connected";
    });
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(event.data);
      if (message.type === "error") showError(message);
      else if (message.type === "ok") clearError();
      else if (message.type === "update") {
        clearError();
        apply(message);
      }
    });
    socket.addEventListener("close", () => {
      document.documentElement.dataset.gazetteLiveReload = "reconnecting";
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 5000);
    });
  };
  connect();
})();
