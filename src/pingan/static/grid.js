// 警网融合 phone pages: the report form shows the chosen category's fields, and a report is kept on the phone
// (IndexedDB, photos included) until the server has it. Each report carries one idempotency key, so sending it
// again (no signal, a retry, a reload) still makes one report. Without this script the form posts as usual.
"use strict";

(() => {
  const DB = "pingan-grid", STORE = "outbox";

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
    const n = (await all()).length;
    document.querySelectorAll("[data-outbox]").forEach((el) => {
      el.hidden = n === 0;
      const count = el.querySelector("[data-outbox-count]");
      if (count) count.textContent = `(${n})`;
    });
  }

  // One report: the JSON body, then each photo not yet stored. Resolves to the report, or to
  // {refused: answer} when the server says no (4xx): that report is not sent again.
  async function send(item) {
    const answer = await fetch("/api/v1/grid/reports", {
      method: "POST", credentials: "same-origin", body: JSON.stringify(item.body),
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
    });
    if (answer.status >= 400 && answer.status < 500) return { refused: answer };
    if (!answer.ok) throw new Error(`server ${answer.status}`);
    const report = await answer.json();
    while (item.photos.length) {
      const photo = item.photos[0];
      const form = new FormData();
      form.append("photo", photo.blob, photo.name);
      const sent = await fetch(`/api/v1/grid/reports/${report.id}/photos`, {
        method: "POST", credentials: "same-origin", body: form, headers: { "X-CSRF-Token": csrf() },
      });
      if (!sent.ok && (sent.status < 400 || sent.status >= 500)) throw new Error(`server ${sent.status}`);
      item.photos.shift();
      await put(item);
    }
    return report;
  }

  let flushing = null;
  function flush() {
    if (!flushing) {
      flushing = (async () => {
        const sent = {};
        for (const item of await all()) {
          try {
            const result = await send(item);
            await remove(item.key);
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

  function body(form, key) {
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

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
  }

  function wireForm(form) {
    const select = form.querySelector("[data-category]");
    const showFields = () => form.querySelectorAll("[data-fields-for]").forEach((fs) => {
      const on = fs.dataset.fieldsFor === select.value;
      fs.hidden = !on;
      fs.disabled = !on;
    });
    select.addEventListener("change", showFields);
    showFields();
    const status = form.querySelector("[data-send-status]");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const keyInput = form.querySelector("[data-idempotency-key]");
      keyInput.value = keyInput.value || newKey();
      const photos = Array.from(form.querySelector("input[type=file]").files)
        .map((file) => ({ name: file.name, blob: file }));
      const item = { key: keyInput.value, body: body(form, keyInput.value), photos, saved_at: Date.now() };
      await put(item);
      const sent = (await flush())[item.key];
      if (sent && sent.refused) {
        form.submit();  // the server's own page names each faulty field (the same key: still one report)
      } else if (sent) {
        window.location.assign(`/grid/reports/${sent.id}`);
      } else {
        status.textContent = "没有网络：上报已保存在本机，联网后自动发送 / No signal: kept on this phone, sent when online";
        form.reset();
        keyInput.value = "";
        showFields();
      }
    });
  }

  document.querySelectorAll("form[data-grid-report]").forEach(wireForm);
  window.addEventListener("online", flush);
  if (window.indexedDB) flush();
})();
