// The curation view: the disagreements of annotators' passes side by side; take one version or
// reject each (corpus_pkg.agree.resolve on the server, which rebuilds and validates gold).

import { getJSON, postJSON } from "./api.js";
import { el } from "./dom.js";

const docId = document.body.dataset.docId;
const input = document.getElementById("annotators");
const overwrite = document.getElementById("overwrite");
const head = document.getElementById("curate-head");
const body = document.querySelector("#disagreements tbody");
const saveStatus = document.getElementById("save-status");
let names = [];
let rows = [];
let position = 0;

function status(state, message) {
  saveStatus.dataset.state = state;
  saveStatus.textContent = message;
}

// One item of a pass as text: the texts of its spans and its labels (all inserted as text).
function describe(layer, item) {
  const parts = [];
  if (layer === "entities") parts.push(`“${item.text}”`, item.label, item.entity_id ? `→ ${item.entity_id}` : null);
  else if (layer === "numbers") parts.push(`“${item.text}”`, `${item.value}`, item.kind, item.unit, item.qualifier);
  else if (layer === "quotes") {
    parts.push(item.kind, item.fragments.map((f) => `“${f.text}”`).join(" + "));
    if (item.cue) parts.push(`cue “${item.cue.text}”`);
    const sp = item.speaker;
    parts.push(`speaker ${sp.mention_id ?? (sp.text ? `“${sp.text}”` : "unknown")}`);
  } else {
    const ev = item.evidence;
    const holder = item.holder;
    parts.push(item.label, item.target, `holder ${holder.mention_id ?? holder.entity_id ?? `“${holder.text}”`}`,
      `evidence ${ev.quote_id ?? `“${ev.text}”`}`);
  }
  return parts.filter((p) => p !== null && p !== undefined && p !== "").join(" · ");
}

function settledText(d) {
  if (!d.decision) return d.status + (d.reason ? ` (${d.reason})` : "");
  return `${d.status}: ${d.decision.take ? `took ${d.decision.take}` : "rejected"} (by ${d.decision.by})`;
}

function row(d, index) {
  const buttons = names.map((name, i) => el("button", {
    type: "button", dataset: { take: name }, disabled: (d.versions[name] ?? []).length !== 1,
    title: `key ${i + 1}`, onclick: () => settle(d.unit, name), text: `take ${name}`,
  }));
  buttons.push(el("button", { type: "button", dataset: { take: "" }, title: "key x", onclick: () => settle(d.unit, null), text: "reject" }));
  return el("tr", { dataset: { unit: d.unit, status: d.status }, class: index === position ? "chosen" : "", onclick: () => choose(index) },
    el("td", { text: d.unit }), el("td", { text: d.layer }), el("td", { class: "unit-text", text: d.text }),
    ...names.map((name) => el("td", { class: "version", dataset: { annotator: name } },
      ...((d.versions[name] ?? []).length ? d.versions[name].map((item) => el("div", { text: describe(d.layer, item) })) : [el("em", { text: "(none)" })]))),
    el("td", { class: "status", text: settledText(d) }),
    el("td", {}, ...buttons));
}

function draw(data) {
  rows = data.disagreements;
  position = Math.min(position, Math.max(rows.length - 1, 0));
  head.replaceChildren(...["unit", "layer", "text", ...names, "status", "settle"].map((t) => el("th", { text: t })));
  body.replaceChildren(...rows.map(row));
  const open = rows.filter((d) => ["open", "stale", "blocked"].includes(d.status)).length;
  document.getElementById("curate-count").textContent = `${rows.length} disagreement(s), ${open} open`;
}

function choose(index) {
  position = index;
  [...body.children].forEach((tr, i) => tr.classList.toggle("chosen", i === position));
}

async function load() {
  names = input.value.split(",").map((n) => n.trim()).filter(Boolean);
  const url = new URL(window.location.href);
  url.searchParams.set("annotators", names.join(","));
  history.replaceState(null, "", url);
  if (names.length < 2) { status("error", "name at least two annotators, e.g. A,B"); return; }
  const { status: code, data } = await getJSON(`/api/curate/${encodeURIComponent(docId)}?annotators=${encodeURIComponent(names.join(","))}`);
  if (code !== 200) { status("error", data.error ?? `HTTP ${code}`); return; }
  draw(data);
  status("ready", "Ready");
  document.body.dataset.ready = "1";
}

async function settle(unit, take) {
  status("saving", "Saving…");
  const { status: code, data } = await postJSON(`/api/curate/${encodeURIComponent(docId)}`, { annotators: names, unit, take, overwrite: overwrite.checked });
  if (code !== 200) { status("error", data.error ?? `HTTP ${code}`); return; }
  draw(data);
  status("saved", `${unit}: ${take ? `took ${take}` : "rejected"} (by ${data.by}); gold written, ${data.open} open`);
}

document.addEventListener("keydown", (ev) => {
  if (ev.target instanceof HTMLInputElement || ev.ctrlKey || ev.metaKey || ev.altKey || !rows.length) return;
  const d = rows[position];
  if (ev.key === "j" || ev.key === "ArrowDown") choose(Math.min(position + 1, rows.length - 1));
  else if (ev.key === "k" || ev.key === "ArrowUp") choose(Math.max(position - 1, 0));
  else if (ev.key === "x") settle(d.unit, null);
  else if (/^[1-9]$/.test(ev.key) && names[Number(ev.key) - 1]) settle(d.unit, names[Number(ev.key) - 1]);
  else return;
  ev.preventDefault();
});

input.value = new URLSearchParams(window.location.search).get("annotators") ?? "";
input.addEventListener("change", load);
load();
