// Small page helpers shared by every page (no framework beyond htmx). Everything here is optional:
// a page works without it; scripts only add convenience.
"use strict";

// The Content-Security-Policy allows no inline style from htmx (its indicator <style>) and no eval.
if (window.htmx) {
  htmx.config.includeIndicatorStyles = false;
  htmx.config.allowEval = false;
}

// A form with data-confirm asks before it is sent (inline onsubmit handlers are refused by the CSP).
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
}, true);

document.documentElement.classList.add("js");

// At phone width the side bar folds behind the 菜单 button.
document.addEventListener("click", (event) => {
  const button = event.target.closest(".nav-toggle");
  if (!button) return;
  const nav = document.getElementById(button.getAttribute("aria-controls"));
  if (!nav) return;
  const open = !nav.classList.contains("open");
  nav.classList.toggle("open", open);
  button.setAttribute("aria-expanded", String(open));
});

// htmx requests carry the CSRF token of the page (the double-submit cookie check in web/deps.py).
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector('meta[name="csrf-token"]');
  if (token) event.detail.headers["X-CSRF-Token"] = token.content;
});

// Organisation tree: filter by name or code, expand or collapse every station.
function filterTree(input) {
  const root = document.querySelector(input.dataset.treeFilter);
  if (!root) return;
  const q = input.value.trim().toLowerCase();
  const hit = (el) => q !== "" && (el.dataset.search || "").toLowerCase().includes(q);
  let shown = 0;
  root.querySelectorAll('[data-node="station"]').forEach((station) => {
    const stationHit = hit(station);
    let below = false;
    station.querySelectorAll('[data-node="community"], .tree-row').forEach((row) => {
      let rowHit = row.matches('[data-node="community"]') && hit(row);
      row.querySelectorAll(".chip").forEach((chip) => {
        const chipHit = hit(chip);
        chip.classList.toggle("hit", chipHit);
        rowHit = rowHit || chipHit;
      });
      row.hidden = q !== "" && !rowHit && !stationHit;
      below = below || rowHit;
    });
    station.hidden = q !== "" && !stationHit && !below;
    station.open = q === "" ? station.dataset.defaultOpen === "1" : below || station.open && stationHit;
    if (!station.hidden) shown += 1;
  });
  const none = root.querySelector("[data-tree-nomatch]");
  const stations = root.querySelectorAll('[data-node="station"]').length;
  if (none) none.hidden = q === "" || stations === 0 || shown > 0;
}

document.addEventListener("input", (event) => {
  if (event.target.matches("[data-tree-filter]")) filterTree(event.target);
});

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-tree-toggle]");
  if (!button) return;
  const root = document.querySelector(button.dataset.treeToggle);
  if (!root) return;
  const open = button.dataset.open === "1";
  root.querySelectorAll("details").forEach((d) => { if (!d.hidden) d.open = open; });
});

// A printout shows the whole tree, not just the stations someone happened to open.
window.addEventListener("beforeprint", () => {
  document.querySelectorAll("details:not([open])").forEach((d) => {
    d.dataset.printOpened = "1";
    d.open = true;
  });
});
window.addEventListener("afterprint", () => {
  document.querySelectorAll('details[data-print-opened="1"]').forEach((d) => {
    d.open = false;
    delete d.dataset.printOpened;
  });
});

// Filter bars leave out empty fields, so the address bar (and a copied link) shows only the real query.
document.addEventListener("formdata", (event) => {
  if (!event.target.matches("form.filters")) return;
  for (const [name, value] of [...event.formData.entries()]) {
    if (value === "") event.formData.delete(name);
  }
}, true);

// A teller's hold follows its alert live: the event feed (the one the duty console uses) announces each step,
// and the card is fetched again. After a reconnect every card is fetched once, so a step missed meanwhile shows.
const liveProgress = { source: null };

function refreshProgress(card) {
  return fetch(card.dataset.progressSrc, { credentials: "same-origin" })
    .then((r) => (r.ok ? r.text() : null))
    .then((html) => {
      if (!html) return;
      const tpl = document.createElement("template");
      tpl.innerHTML = html.trim();
      const fresh = tpl.content.firstElementChild;
      const current = document.getElementById(card.id);
      if (fresh && current) current.replaceWith(fresh);
    });
}

function progressCards() {
  return [...document.querySelectorAll("[data-progress-src]")];
}

function watchProgress() {
  if (liveProgress.source || !window.EventSource || progressCards().length === 0) return;
  const source = new EventSource("/api/v1/events/stream");
  liveProgress.source = source;
  let opened = false;
  source.onopen = () => {
    if (opened) progressCards().forEach(refreshProgress);
    opened = true;
  };
  const onEvent = (event) => {
    const id = String(JSON.parse(event.data).alert_id);
    progressCards().filter((card) => card.dataset.alertId === id).forEach(refreshProgress);
  };
  source.addEventListener("antifraud.alert.updated", onEvent);
  source.addEventListener("antifraud.alert.instructed", onEvent);
}

document.addEventListener("DOMContentLoaded", watchProgress);
document.addEventListener("htmx:afterSettle", (event) => {
  watchProgress();
  // The counter's answer: bring the decision into view (on a laptop it lands below the form).
  if (!event.detail.target || event.detail.target.id !== "counter-work") return;
  const result = document.querySelector("#counter-result");
  if (result && result.querySelector("[data-result]")) result.scrollIntoView({ block: "start" });
});
