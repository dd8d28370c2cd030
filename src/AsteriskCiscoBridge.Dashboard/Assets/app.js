// The dashboard: polls the JSON API, renders with textContent only (names come from phones and
// Asterisk), and posts actions with the token header (never a cookie, so other sites cannot post).
"use strict";

const token = (() => {
  const meta = document.querySelector('meta[name="acb-token"]').content;
  if (meta) return meta;
  const fromHash = new URLSearchParams(location.hash.slice(1)).get("token");
  if (fromHash) {
    sessionStorage.setItem("acb-token", fromHash);
    history.replaceState(null, "", location.pathname);
  }
  return sessionStorage.getItem("acb-token") || "";
})();

const headers = () => (token ? { "X-Acb-Token": token } : {});
let lastRequestId = 0;

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text == null ? "" : String(text);
  if (className) td.className = className;
  return td;
}

function time(iso) {
  return iso ? iso.replace("T", " ").replace(/\.\d+/, "").replace(/(Z|\+00:00)$/, "") : "";
}

function say(text, ok) {
  const message = document.getElementById("message");
  message.textContent = text;
  message.className = ok ? "ok" : "bad";
}

async function getJson(path) {
  const response = await fetch(path, { headers: headers(), cache: "no-store" });
  if (!response.ok) throw new Error(path + ": " + response.status);
  return response.json();
}

function list(id, items) {
  const ul = document.getElementById(id);
  ul.replaceChildren();
  for (const item of items.length ? items : [null]) {
    const li = document.createElement("li");
    li.textContent = item || "none";
    if (!item) li.className = "muted";
    ul.append(li);
  }
}

function renderPhones(state) {
  // A refresh would throw away speed dials being typed: the table waits until the box is left.
  if (document.activeElement && document.activeElement.classList.contains("keys")) return;
  const body = document.querySelector("#phones tbody");
  body.replaceChildren();
  if (state.phones.length === 0) {
    cell(body.insertRow(), "no phones bound yet (acb bind MAC ENDPOINT)", "muted").colSpan = 10;
  }
  for (const phone of state.phones) {
    const row = body.insertRow();
    row.dataset.mac = phone.mac;
    cell(row, phone.mac).className = "mac";
    cell(row, phone.model);
    cell(row, phone.endpoints.join(", "));
    // Speed dials: one text box, keys in order separated by ";" (speeddial:NUMBER:LABEL or blf:NUMBER:LABEL).
    const keysCell = row.insertCell();
    const keys = document.createElement("input");
    keys.className = "keys";
    keys.setAttribute("aria-label", "speed dials for " + phone.mac);
    keys.value = phone.keys.map((k) => k.value).join("; ");
    keys.title = phone.keys.map((k) => "key." + k.index + " from " + k.origin).join("\n");
    const saveKeys = document.createElement("button");
    saveKeys.className = "save-keys";
    saveKeys.textContent = "Set";
    saveKeys.addEventListener("click", () =>
      act(phone.mac, "keys", saveKeys, { keys: keys.value.split(";").map((k) => k.trim()).filter((k) => k.length > 0) }));
    keysCell.append(keys, " ", saveKeys);
    cell(row, phone.load || "not seen yet");
    cell(row, phone.upgradePath, "path");
    cell(row, phone.syncCounter);
    cell(row, phone.lastRequest ? time(phone.lastRequest.at) + " " + phone.lastRequest.file + " (" + phone.lastRequest.outcome + ")" : "never");
    // A stale phone says why (no fetch, fetched but did not register, refused by Asterisk).
    const stale = phone.lastResync && phone.lastResync.outcome === "stale";
    cell(row, phone.lastResync ? time(phone.lastResync.at) + " " + phone.lastResync.outcome + (stale && phone.lastResync.detail ? ": " + phone.lastResync.detail : "") : "none", stale ? "bad" : "");
    const actions = row.insertCell();
    const resync = document.createElement("button");
    resync.className = "resync";
    resync.dataset.mac = phone.mac;
    resync.textContent = "Resync";
    resync.addEventListener("click", () => act(phone.mac, "resync", resync));
    // Pin: a load of the phone's family from the catalog, or the site default (unpinned).
    const choice = document.createElement("select");
    choice.className = "pin-load";
    choice.setAttribute("aria-label", "load for " + phone.mac);
    const follow = new Option("site default", "");
    choice.add(follow);
    for (const load of phone.pinChoices) choice.add(new Option(load, load));
    choice.value = phone.pinnedLoad || "";
    const pin = document.createElement("button");
    pin.className = "pin";
    pin.textContent = "Pin load";
    pin.disabled = !state.pinAvailable;
    pin.title = state.pinAvailable ? "pin the chosen load (site default unpins)" : "load planning is off";
    pin.addEventListener("click", () => act(phone.mac, "pin", pin, { load: choice.value || null }));
    actions.append(resync, " ", choice, " ", pin);
  }
}

// An answer of Asterisk held because it would strip many phones: shown until applied or dropped.
function renderHold(hold) {
  const section = document.getElementById("hold");
  section.hidden = !hold;
  if (!hold) return;
  document.getElementById("hold-summary").textContent = hold.summary;
  document.getElementById("hold-command").textContent = hold.acceptCommand;
  list("hold-phones", hold.phones.map((p) => p.mac + ": loses " + p.endpoints.join(", ") + (p.kept ? " (keeps " + p.kept + ")" : "")));
  document.getElementById("accept-removals").disabled = !!hold.acceptedAt;
}

async function acceptRemovals(button) {
  button.disabled = true;
  try {
    const response = await fetch("/api/sync/accept-removals", { method: "POST", headers: headers() });
    const result = await response.json().catch(() => ({ ok: false, message: "HTTP " + response.status }));
    say(result.message, result.ok);
  } catch (error) {
    say(String(error.message || error), false);
  } finally {
    refreshState();
  }
}

function renderFirmware(loads) {
  const body = document.querySelector("#firmware tbody");
  body.replaceChildren();
  if (loads.length === 0) cell(body.insertRow(), "no loads imported (acb firmware import PATH)", "muted").colSpan = 3;
  for (const load of loads) {
    const row = body.insertRow();
    cell(row, load.name);
    cell(row, load.files);
    cell(row, load.complete ? "complete" : load.problem, load.complete ? "ok" : "bad");
  }
}

async function refreshState() {
  try {
    const state = await getJson("/api/state");
    const ami = document.getElementById("ami");
    ami.textContent = state.amiConnected ? "AMI up" + (state.snapshotAgeSeconds != null ? ", snapshot " + Math.round(state.snapshotAgeSeconds) + " s old" : "") : "AMI down";
    ami.className = "badge " + (state.amiConnected ? "up" : "down");
    renderPhones(state);
    list("pending", state.pending);
    list("stale", state.stale);
    renderFirmware(state.firmware);
    renderHold(state.removalHold);
    document.body.dataset.loaded = "true";
  } catch (error) {
    say(String(error.message || error), false);
  }
}

async function refreshRequests() {
  try {
    const requests = await getJson("/api/requests?after=" + lastRequestId);
    const body = document.querySelector("#requests tbody");
    for (const r of requests.reverse()) {
      const row = body.insertRow(0);
      cell(row, time(r.at));
      cell(row, r.client);
      cell(row, r.file);
      cell(row, r.mac || "");
      cell(row, r.outcome, r.outcome === "served" ? "ok" : "");
      cell(row, r.bytes);
      lastRequestId = Math.max(lastRequestId, r.id);
    }
    while (body.rows.length > 200) body.deleteRow(-1);
  } catch (error) {
    say(String(error.message || error), false);
  }
}

async function act(mac, action, button, body) {
  button.disabled = true;
  try {
    const init = { method: "POST", headers: headers() };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch("/api/phones/" + encodeURIComponent(mac) + "/" + action, init);
    const result = await response.json().catch(() => ({ ok: false, message: "HTTP " + response.status }));
    say(result.message, result.ok);
  } catch (error) {
    say(String(error.message || error), false);
  } finally {
    button.disabled = false;
    refreshState();
  }
}

document.getElementById("accept-removals").addEventListener("click", (event) => acceptRemovals(event.currentTarget));
refreshState();
refreshRequests();
setInterval(refreshState, 5000);
setInterval(refreshRequests, 2000);
