// 警网融合 phone pages: the report form shows the chosen category's fields; a report, a collection, a publicity
// event (photos included), a patrol plan and a patrol's start, check-ins and end are kept on the phone
// (IndexedDB) until the server has them, and sent in the order they were made. Each record carries one
// idempotency key, so sending it again (no signal, a retry, a reload) still makes one record. A service worker
// (/grid/sw.js) keeps these pages and their scripts on the phone, so they open with no signal after a first
// visit. Without this script the forms post as usual.
"use strict";

(() => {
  const DB = "pingan-grid", STORE = "outbox";
  const REPORTS = "/api/v1/grid/reports", REPORT_PHOTOS = "/api/v1/grid/reports/{id}/photos";

  function openDb() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(DB, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "key" });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  async function store(mode, fn) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const result = fn(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      tx.onerror = () => reject(tx.error);
    });
  }

  const all = () => store("readonly", (s) => s.getAll());
  const put = (item) => store("readwrite", (s) => s.put(item));
  const remove = (key) => store("readwrite", (s) => s.delete(key));

  function csrf() {
    const match = document.cookie.match(/(?:^|;\s*)pingan_csrf=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  async function showCount() {
    const items = await all();
    const n = items.filter((item) => !item.refused).length;
    document.querySelectorAll("[data-outbox]").forEach((el) => {
      el.hidden = n === 0;
      const count = el.querySelector("[data-outbox-count]");
      if (count) count.textContent = `(${n})`;
    });
    // What the server refused when the queue sent it later: kept and shown until the worker lets it go.
    const refused = items.filter((item) => item.refused);
    document.querySelectorAll("[data-outbox-refused]").forEach((el) => {
      el.hidden = refused.length === 0;
      const list = el.querySelector("ul");
      list.replaceChildren(...refused.map((item) => {
        const li = document.createElement("li");
        const what = item.body.description || item.body.title || item.body.address_text || item.body.kind || "";
        li.textContent = `${new Date(item.saved_at).toLocaleString()} ${what}：${item.refused} `;
        const drop = document.createElement("button");
        drop.type = "button";
        drop.className = "small";
        drop.textContent = "知道了 / Dismiss";
        drop.addEventListener("click", async () => { await remove(item.key); showCount(); });
        li.append(drop);
        return li;
      }));
    });
  }

  async function reason(answer) {
    try {
      const error = (await answer.json()).error;
      const fields = (error.details || []).map((d) => `${d.field}: ${d.message}`).join("；");
      return fields ? `${error.message}（${fields}）` : error.message;
    } catch (err) {
      return `HTTP ${answer.status}`;
    }
  }

  const fill = (template, record) => template.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(record[name]));

  // One record: the JSON body, then each photo not yet stored. Resolves to the server's record, or to
  // {refused: answer} when the server says no (4xx): that record is not sent again. A photo the server
  // refuses (4xx) is not sent again either; its reason comes back in the record's ``photosRefused``.
  async function send(item) {
    const answer = await fetch(item.url || REPORTS, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(item.body),
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
    });
    if (answer.status >= 400 && answer.status < 500) return { refused: answer };
    if (!answer.ok) throw new Error(`server ${answer.status}`);
    const record = await answer.json();
    const photoUrl = item.url ? item.photoUrl : REPORT_PHOTOS;  // a report kept by this script's first version
    record.photosRefused = item.photosRefused || [];
    while (photoUrl && item.photos.length) {
      const photo = item.photos[0];
      const form = new FormData();
      form.append("photo", photo.blob, photo.name);
      const sent = await fetch(fill(photoUrl, record), {
        method: "POST", credentials: "same-origin", body: form, headers: { "X-CSRF-Token": csrf() },
      });
      if (!sent.ok && (sent.status < 400 || sent.status >= 500)) throw new Error(`server ${sent.status}`);
      if (!sent.ok) {
        record.photosRefused.push(`${photo.name}：${await reason(sent)}`);
        item.photosRefused = record.photosRefused;  // kept with the item if the network drops before the end
      }
      item.photos.shift();
      await put(item);
    }
    return record;
  }

  // Sends the queue; a refusal of the record just submitted (``current``) goes back to its form, one of a record
  // sent later is kept, marked, for the worker to see.
  let flushing = null;
  function flush(current) {
    if (!flushing) {
      flushing = (async () => {
        const sent = {};
        for (const item of await all()) {  // keys begin with the time they were made: oldest first
          if (item.refused) continue;
          try {
            const result = await send(item);
            if (result.refused && item.key !== current) {
              item.refused = await reason(result.refused);
              await put(item);
            } else if (result.photosRefused && result.photosRefused.length) {
              // The record is stored; the worker is told which photo is not, until they dismiss it.
              item.refused = `已保存，但照片未保存 / saved, but a photo was not: ${result.photosRefused.join("；")}`;
              item.photos = [];
              await put(item);
            } else {
              await remove(item.key);
            }
            sent[item.key] = result;
          } catch (err) {
            break;  // no network yet: the rest waits for the next "online"
          }
        }
        await showCount();
        return sent;
      })().finally(() => { flushing = null; });
    }
    return flushing;
  }

  function reportBody(form, key) {
    const data = new FormData(form);
    const out = { fields: {}, idempotency_key: key };
    for (const name of ["grid_code", "category", "description", "address_code", "address_text"]) {
      const value = String(data.get(name) || "").trim();
      if (value) out[name] = value;
    }
    for (const name of ["latitude", "longitude"]) {
      if (data.get(name)) out[name] = Number(data.get(name));
    }
    const fieldset = form.querySelector(`[data-fields-for="${out.category}"]`);
    fieldset.querySelectorAll("[name^='fields.']").forEach((input) => {
      const code = input.name.slice("fields.".length);
      if (input.type === "checkbox") {
        if (!out.fields[code]) out.fields[code] = [];
        if (input.checked) out.fields[code].push(input.value);
      } else if (input.value.trim()) {
        out.fields[code] = input.value.trim();
      }
    });
    for (const [code, value] of Object.entries(out.fields)) {
      if (Array.isArray(value) && !value.length) delete out.fields[code];
    }
    return out;
  }

  // Any other entry form as its API body: the enabled controls by name ("data.x" into "data"), numbers where the
  // control says data-type="int", a checkbox group as a list, a phone-local time as an ISO time.
  function entryBody(form, key) {
    const out = {};
    if (form.querySelector("[data-idempotency-key]") && !form.matches("[data-keyless]")) out.idempotency_key = key;
    for (const [name, raw] of new FormData(form)) {
      const input = form.querySelector(`[name="${name}"]`);
      if (["csrf_token", "idempotency_key"].includes(name) || input.type === "file") continue;
      let value = String(raw).trim();
      if (!value) continue;
      if (input.dataset.type === "int") value = Number(value);
      if (input.matches("[data-local-time]")) value = new Date(value).toISOString();
      if (name.startsWith("data.")) {
        out.data = out.data || {};
        out.data[name.slice(5)] = value;
      } else if (input.type === "checkbox") {
        (out[name] = out[name] || []).push(value);
      } else {
        out[name] = value;
      }
    }
    return out;
  }

  // A key that sorts by the time it was made (the outbox is sent oldest first) and is unique.
  function newKey() {
    const rand = window.crypto && crypto.randomUUID ? crypto.randomUUID()
      : `${Math.random().toString(36).slice(2, 12)}${Math.random().toString(36).slice(2, 12)}`;
    return `${Date.now()}-${rand}`;
  }

  function wireKinds(form) {
    const select = form.querySelector("[data-category]");
    if (!select) return () => {};
    const showFields = () => form.querySelectorAll("[data-fields-for]").forEach((fs) => {
      const on = fs.dataset.fieldsFor === select.value;
      fs.hidden = !on;
      fs.disabled = !on;
    });
    select.addEventListener("change", showFields);
    showFields();
    return showFields;
  }

  function wireForm(form, { url, photoUrl, done, body }) {
    const showFields = wireKinds(form);
    const status = form.querySelector("[data-send-status]");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const keyInput = form.querySelector("[data-idempotency-key]");
      keyInput.value = keyInput.value || newKey();
      const files = form.querySelector("input[type=file]");
      if (files && files.pinganShrinking) await files.pinganShrinking;  // photos.js shrinking a camera picture
      const photos = files ? Array.from(files.files).map((file) => ({ name: file.name, blob: file })) : [];
      const item = { key: keyInput.value, url, photoUrl, body: body(form, keyInput.value), photos, saved_at: Date.now() };
      await put(item);
      const sent = (await flush(item.key))[item.key];
      if (sent && sent.refused) {
        form.submit();  // the server's own page names each faulty field (the same key: still one record)
      } else if (sent) {
        window.location.assign(fill(done, sent));
      } else {
        status.textContent = "没有网络：已保存在本机，联网后自动发送 / No signal: kept on this phone, sent when online";
        form.reset();
        keyInput.value = "";
        showFields();
        showCount();
      }
    });
  }

  // A patrol's finding goes to the patrol's findings (a report with its clocks, tied to the patrol).
  document.querySelectorAll("form[data-grid-report]").forEach((form) => wireForm(form, {
    url: form.dataset.finding || REPORTS, photoUrl: REPORT_PHOTOS, done: "/grid/reports/{id}", body: reportBody,
  }));
  document.querySelectorAll("form[data-grid-entry]").forEach((form) => wireForm(form, {
    url: form.dataset.gridEntry, photoUrl: form.dataset.photos || "", done: form.dataset.done, body: entryBody,
  }));
  window.addEventListener("online", () => flush());
  if (window.indexedDB) flush();
  // The service worker keeps the entry pages on the phone. A registration whose script could not be fetched,
  // or whose install gave up (a signal that dropped meanwhile), is tried again on this page, twice at most.
  function keepPages(attempt) {
    const again = () => { if (attempt < 3) setTimeout(() => keepPages(attempt + 1), 5000 * attempt); };
    navigator.serviceWorker.register("/grid/sw.js", { scope: "/grid/" }).then((registration) => {
      const worker = registration.installing;
      if (!worker) return;
      worker.addEventListener("statechange", () => {
        if (worker.state === "redundant" && !registration.active) again();
      });
    }, again);
  }
  if ("serviceWorker" in navigator) keepPages(1);
})();
