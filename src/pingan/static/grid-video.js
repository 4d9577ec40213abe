// 可视对讲: a live video call from a report. Pingan only relays the signalling (its HTTP API and the event stream
// /grid/video/events); the audio and video run peer to peer between the two browsers (WebRTC), over host
// candidates on the police network, or through the TURN server the settings name.
"use strict";

(() => {
  const holder = document.getElementById("grid-video");
  if (!holder || !window.RTCPeerConnection || !window.EventSource) return;
  const iceServers = JSON.parse(holder.dataset.ice || "[]");

  const csrf = () => {
    const match = document.cookie.match(/(?:^|;\s*)pingan_csrf=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  };
  const post = async (url, body) => {
    const answer = await fetch(url, {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
      body: JSON.stringify(body || {}),
    });
    if (!answer.ok) throw new Error(`${url}: ${answer.status}`);
    return answer.json();
  };

  let current = null;  // {id, pc, stream, offer, pending: [], view}

  function view(title) {
    const box = document.createElement("section");
    box.className = "card video-call";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", "视频通话");
    box.innerHTML = `<h2></h2><div class="video-pair"><video data-remote autoplay playsinline></video>` +
      `<video data-local autoplay playsinline muted></video></div><p class="small" data-video-state role="status"></p>` +
      `<div class="actions"><button type="button" class="primary" data-video-answer hidden>接听</button>` +
      `<button type="button" data-video-decline hidden>拒接</button>` +
      `<button type="button" data-video-snapshot hidden>截图</button>` +
      `<button type="button" class="danger" data-video-hangup>挂断</button></div>`;
    box.querySelector("h2").textContent = title;
    document.querySelector("main, body").prepend(box);
    box.querySelector("[data-video-hangup]").addEventListener("click", hangUp);
    box.querySelector("[data-video-snapshot]").addEventListener("click", snapshot);
    return box;
  }

  const state = (text) => { if (current) current.view.querySelector("[data-video-state]").textContent = text; };

  async function media() {
    const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
    current.stream = stream;
    current.view.querySelector("[data-local]").srcObject = stream;
    return stream;
  }

  function peer() {
    const pc = new RTCPeerConnection({ iceServers });
    const id = current.id;
    pc.onicecandidate = (event) => {
      if (event.candidate) post(`/api/v1/grid/video-calls/${id}/signals`, { kind: "candidate", payload: event.candidate.toJSON() });
    };
    pc.ontrack = (event) => {
      const remote = current.view.querySelector("[data-remote]");
      remote.srcObject = event.streams[0];
      remote.onloadeddata = () => { remote.closest(".video-call").dataset.remoteVideo = "playing"; };
    };
    pc.onconnectionstatechange = () => {
      current.view.dataset.connection = pc.connectionState;
      if (pc.connectionState === "connected") {
        state("已接通");
        current.view.querySelector("[data-video-snapshot]").hidden = false;
      }
    };
    current.stream.getTracks().forEach((track) => pc.addTrack(track, current.stream));
    current.pc = pc;
    return pc;
  }

  async function flushCandidates() {
    for (const c of current.pending.splice(0)) await current.pc.addIceCandidate(c);
  }

  function close(text) {
    if (!current) return;
    if (current.pc) current.pc.close();
    if (current.stream) current.stream.getTracks().forEach((t) => t.stop());
    current.view.dataset.ended = "true";
    state(text || "通话已结束");
    const done = current.view;
    current = null;
    setTimeout(() => done.remove(), 3000);
  }

  async function hangUp() {
    if (!current) return;
    const id = current.id;
    close("通话已结束");
    await post(`/api/v1/grid/video-calls/${id}/end`);
  }

  async function snapshot() {
    const video = current.view.querySelector("[data-remote]");
    const canvas = document.createElement("canvas");
    canvas.width = video.videoWidth || 320;
    canvas.height = video.videoHeight || 240;
    canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
    const form = new FormData();
    form.append("photo", blob, "snapshot.png");
    const answer = await fetch(`/api/v1/grid/video-calls/${current.id}/snapshot`, {
      method: "POST", credentials: "same-origin", body: form, headers: { "X-CSRF-Token": csrf() },
    });
    state(answer.ok ? "截图已附到上报" : "截图未保存");
    if (answer.ok) current.view.dataset.snapshot = "saved";
  }

  // Calling: from a report's 视频通话 button.
  document.querySelectorAll("[data-video-call]").forEach((button) => button.addEventListener("click", async () => {
    if (current) return;
    const call = await post(`/api/v1/grid/reports/${button.dataset.videoCall}/video-calls`);
    current = { id: call.id, pending: [], view: view("视频通话：呼叫中…") };
    state("正在呼叫社区民警…");
    const pc = peer(await media());
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    await post(`/api/v1/grid/video-calls/${call.id}/signals`, { kind: "offer", payload: { type: offer.type, sdp: offer.sdp } });
  }));

  // Being called: the ring, then the offer, relayed by the event stream.
  const offers = {};
  const events = new EventSource("/grid/video/events");
  events.onopen = () => { holder.dataset.stream = "open"; };
  events.addEventListener("ring", (event) => {
    const ring = JSON.parse(event.data);
    if (current) return;
    current = { id: ring.call_id, pending: [], view: view(`来电：${ring.caller}`) };
    current.view.dataset.ringing = "true";
    state(`上报 #${ring.report_id} ${ring.summary || ""}`);
    const accept = current.view.querySelector("[data-video-answer]");
    const decline = current.view.querySelector("[data-video-decline]");
    accept.hidden = decline.hidden = false;
    decline.addEventListener("click", async () => { const id = current.id; close("已拒接"); await post(`/api/v1/grid/video-calls/${id}/decline`); });
    accept.addEventListener("click", async () => {
      accept.hidden = decline.hidden = true;
      await post(`/api/v1/grid/video-calls/${current.id}/answer`);
      state("正在接通…");
      const pc = peer(await media());
      const wait = async () => offers[current.id] || new Promise((r) => setTimeout(() => r(wait()), 200));
      await pc.setRemoteDescription(await wait());
      const answer = await pc.createAnswer();
      await pc.setLocalDescription(answer);
      await post(`/api/v1/grid/video-calls/${current.id}/signals`, { kind: "answer", payload: { type: answer.type, sdp: answer.sdp } });
      await flushCandidates();
    });
  });
  events.addEventListener("offer", (event) => { const s = JSON.parse(event.data); offers[s.call_id] = { type: s.type, sdp: s.sdp }; });
  events.addEventListener("answer", async (event) => {
    const s = JSON.parse(event.data);
    if (!current || current.id !== s.call_id) return;
    await current.pc.setRemoteDescription({ type: s.type, sdp: s.sdp });
    await flushCandidates();
  });
  events.addEventListener("candidate", async (event) => {
    const s = JSON.parse(event.data);
    if (!current || current.id !== s.call_id) return;
    delete s.call_id;
    if (current.pc && current.pc.remoteDescription) await current.pc.addIceCandidate(s);
    else current.pending.push(s);
  });
  events.addEventListener("answered", () => state("对方已接听，正在接通…"));
  for (const kind of ["hangup", "declined"]) {
    events.addEventListener(kind, (event) => {
      const s = JSON.parse(event.data);
      if (current && current.id === s.call_id) close(kind === "declined" ? "对方已拒接" : "对方已挂断");
    });
  }
})();
