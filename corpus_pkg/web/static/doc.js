// The workbench of one document: draws it, turns selections, keys and clicks into API writes,
// keeps undo/redo for this session, and reports every write in #save-status.

import { getJSON, postJSON } from "./api.js";
import { clear, el, labelColour } from "./dom.js";
import { builderPanel, detailPanel, issuesPanel, keysPanel, reviewPanel } from "./panels.js";
import { drawText, idsAt, selectionOffsets, showAnnotation, snapToTokens } from "./text.js";

const docId = document.body.dataset.docId;
const $ = (id) => document.getElementById(id);
const textNode = $("doc-text");
const S = { doc: null, corpus: null, mode: "token", focus: null, builder: null, picking: null, undo: [], redo: [], busy: false };

function status(state, message) {
  const node = $("save-status");
  node.dataset.state = state;
  node.textContent = message;
}

function byId(id) {
  return S.doc.annotations.find((a) => a.item.id === id) ?? null;
}

function suggestions() {
  return S.doc.annotations.filter((a) => a.item.origin === "suggestion").sort((a, b) => (a.spans[0]?.s ?? 0) - (b.spans[0]?.s ?? 0));
}

// ---- drawing ------------------------------------------------------------------------------

function redraw() {
  const issueIds = new Set(S.doc.issues.map((i) => i.annotation_id).filter(Boolean));
  drawText(textNode, S.doc, S.focus, issueIds, pendingSpans());
  panels();
}

// The spans of the quote or stance being built, drawn before they are saved.
function pendingSpans() {
  const b = S.builder;
  if (!b) return [];
  const parts = b.type === "number" ? [b.span] : b.type === "quote" ? [...b.fragments, b.cue, b.speaker.span] : [b.holder.span, b.evidence.span];
  return parts.filter(Boolean);
}

function panels() {
  detailPanel($("detail"), S.focus ? byId(S.focus) : null, ctx);
  reviewPanel($("review"), suggestions(), S.focus, ctx);
  issuesPanel($("issues"), S.doc.issues, ctx);
  builderPanel($("tool-panel"), S.builder, ctx);
}

function toolbar() {
  const bar = clear($("toolbar"));
  S.corpus.labels.forEach((label, i) => {
    const hotkey = i < 10 ? String((i + 1) % 10) : "";
    const button = el("button", { type: "button", class: "label", dataset: { label: label.name, hotkey }, title: label.description || label.name, text: hotkey ? `${label.name} ${hotkey}` : label.name });
    button.style.setProperty("--c", labelColour(label.name));
    button.addEventListener("mousedown", (ev) => ev.preventDefault()); // keep the text selection
    button.addEventListener("click", () => addEntity(label.name));
    bar.append(button);
  });
  const mode = el("button", { type: "button", id: "mode", text: "" });
  const showMode = () => { mode.textContent = S.mode === "token" ? "snap: tokens (t)" : "snap: characters (t)"; mode.dataset.mode = S.mode; };
  mode.addEventListener("click", () => { S.mode = S.mode === "token" ? "char" : "token"; showMode(); });
  showMode();
  const keep = (button) => { button.addEventListener("mousedown", (ev) => ev.preventDefault()); return button; };
  bar.append(
    mode,
    keep(el("button", { type: "button", id: "tool-number", text: "Number (n)", onclick: startNumber })),
    keep(el("button", { type: "button", id: "tool-quote", text: "Quote (q)", onclick: () => startQuote() })),
    keep(el("button", { type: "button", id: "tool-stance", text: "Stance (s)", onclick: startStance })),
    el("button", { type: "button", id: "undo", text: "Undo", onclick: undo }),
    el("button", { type: "button", id: "redo", text: "Redo", onclick: redo }),
  );
  const list = el("datalist", { id: "registry-list" }, S.corpus.registry.map((e) => el("option", { value: e.id, label: [e.name, ...(e.aliases ?? [])].join(" · ") })));
  bar.append(list);
}

// ---- selections ---------------------------------------------------------------------------

function selection() {
  const found = selectionOffsets(textNode);
  if (!found) return null;
  let [s, e] = found;
  if (S.mode === "token") [s, e] = snapToTokens(S.doc.tokens, s, e);
  return { s, e, text: S.doc.text.slice(s, e) };
}

function needSelection() {
  const sel = selection();
  if (!sel) status("error", "Select some text in the document first.");
  return sel;
}

// ---- writes -------------------------------------------------------------------------------

function merge(state) {
  if (state.text === undefined) { state.text = S.doc.text; state.tokens = S.doc.tokens; }
  S.doc = state;
  if (S.focus && !byId(S.focus)) S.focus = null;
}

function itemsById(state) {
  return new Map(state.annotations.map((a) => [a.item.id, a]));
}

function history(before, after, touched) {
  // What undo writes back (and redo writes again): the items as they were and the ids to drop.
  // Only the ids the server reports as touched are compared (a write changes few of thousands).
  const old = itemsById(before), now = itemsById(after);
  const asItem = (a) => ({ layer: a.layer, ...a.item });
  const back = { items: [], remove: [] }, forth = { items: [], remove: [] };
  for (const id of touched) {
    const was = old.get(id), is = now.get(id);
    if (was && !is) { back.items.push(asItem(was)); forth.remove.push(id); }
    else if (!was && is) { back.remove.push(id); forth.items.push(asItem(is)); }
    else if (was && is && JSON.stringify(was.item) !== JSON.stringify(is.item)) { back.items.push(asItem(was)); forth.items.push(asItem(is)); }
  }
  return { back, forth };
}

async function write(action, body, { record = true, quiet = false } = {}) {
  if (S.busy) { status("error", "A save is still running."); return null; }
  S.busy = true;
  status("saving", "Saving…");
  const before = S.doc;
  const started = performance.now();
  const { status: code, data, server } = await postJSON(`/api/doc/${encodeURIComponent(docId)}/${action}?have=${before.raw_sha256}`, { ...body, version: before.version });
  S.busy = false;
  if (code === 200) {
    merge(data.state);
    if (record && data.result.written !== false) {
      const touched = new Set([...(data.result.ids ?? []), ...(data.result.id ? [data.result.id] : [])]);
      const step = history(before, S.doc, touched);
      if (step.back.items.length || step.back.remove.length) { S.undo.push(step); S.redo = []; }
    }
    redraw();
    $("save-status").dataset.ms = (performance.now() - started).toFixed(1); // the round trip, drawn
    $("save-status").dataset.serverMs = server ?? "";
    if (!quiet) status("saved", data.result.summary + (data.result.warnings?.length ? ` — ${data.result.warnings.length} warning(s)` : ""));
    return data;
  }
  if (code === 409 && data.conflict) {
    merge(data.state);
    S.undo = []; S.redo = [];
    S.builder = null;
    redraw();
    status("conflict", `Not saved: ${data.error} The page now shows the file as it is.`);
    return null;
  }
  status("error", data.error ?? `HTTP ${code}`);
  return null;
}

async function addEntity(label) {
  const sel = needSelection();
  if (!sel) return;
  const data = await write("entity", { label, span: sel });
  if (data) { S.focus = data.result.id; window.getSelection().removeAllRanges(); redraw(); }
}

async function startNumber() {
  const sel = needSelection();
  if (!sel) return;
  const { status: code, data } = await postJSON(`/api/doc/${encodeURIComponent(docId)}/number?have=${S.doc.raw_sha256}`, { version: S.doc.version, span: sel, preview: true });
  const guess = code === 200 ? data.result.item : {};
  S.builder = { type: "number", span: sel, value: guess.value, kind: guess.kind, unit: guess.unit, qualifier: guess.qualifier, problem: code === 200 ? null : data.error };
  redraw();
  $("number-value")?.focus();
}

function startQuote() {
  const sel = needSelection();
  if (!sel) return;
  if (S.builder?.type === "quote") { S.builder.fragments.push(sel); S.builder.fragments.sort((a, b) => a.s - b.s); }
  else S.builder = { type: "quote", kind: "direct", fragments: [sel], cue: null, speaker: { type: "none" } };
  window.getSelection().removeAllRanges();
  redraw();
}

function startStance() {
  const sel = selection();
  S.builder = { type: "stance", holder: { type: "none" }, target: S.corpus.targets[0]?.id ?? "", label: "favor", evidence: sel ? { type: "span", span: sel } : { type: "none" } };
  window.getSelection().removeAllRanges();
  redraw();
}

const ctx = {
  get corpus() { return S.corpus; },
  get picking() { return S.picking; },
  redraw: panels,
  focus(id) { S.focus = id; redraw(); showAnnotation(textNode, id); },
  cancel() { S.builder = null; S.picking = null; redraw(); },
  pick(what) { S.picking = what; status("idle", what === "evidence" ? "Click a quote in the text." : "Click a mention in the text."); panels(); },
  builderSet(part) {
    const sel = needSelection();
    if (!sel || !S.builder) return;
    const b = S.builder;
    if (part === "fragment") { b.fragments.push(sel); b.fragments.sort((x, y) => x.s - y.s); }
    else if (part === "cue") b.cue = sel;
    else if (part === "speaker") b.speaker = { type: "nominal", span: sel };
    else if (part === "holder") b.holder = { type: "nominal", span: sel };
    else if (part === "evidence") b.evidence = { type: "span", span: sel };
    window.getSelection().removeAllRanges();
    redraw();
  },
  async saveBuilder() {
    const b = S.builder;
    if (!b) return;
    let data = null;
    if (b.type === "quote") {
      if (b.speaker.type === "none") { status("error", "Choose the speaker: pick a mention, a nominal selection, or unknown."); return; }
      data = await write("quote", { kind: b.kind, fragments: b.fragments, cue: b.cue, speaker: b.speaker });
    } else if (b.type === "stance") {
      if (b.holder.type === "none" || b.evidence.type === "none" || !b.target) { status("error", "A stance needs a holder, a target and evidence."); return; }
      data = await write("stance", { target: b.target, label: b.label, holder: b.holder, evidence: b.evidence });
    }
    if (data) { S.builder = null; S.focus = data.result.id; redraw(); }
  },
  async saveNumber(fields) {
    const b = S.builder;
    const data = await write("number", { span: b.span, ...fields });
    if (data) { S.builder = null; S.focus = data.result.id; redraw(); }
  },
  async edit(id, changes) {
    if (!Object.keys(changes).length) { status("saved", "Nothing changed."); return; }
    await write("edit", { id, changes });
  },
  async remove(ids, cascade) {
    const data = await write("remove", { ids, cascade });
    if (data) { S.focus = null; redraw(); }
  },
  async review(action, ids) {
    const queue = suggestions().map((a) => a.item.id);
    const next = ids.length === 1 ? queue[queue.indexOf(ids[0]) + 1] ?? null : null;
    const data = await write(action, { ids });
    if (data) { S.focus = next && byId(next) ? next : suggestions()[0]?.item.id ?? null; redraw(); if (S.focus) showAnnotation(textNode, S.focus); }
  },
  async newRegistryEntity(ann) {
    const data = await write("registry", { name: ann.item.text, label: ann.item.label }, { record: false, quiet: true });
    if (!data) return;
    S.corpus = (await getJSON("/api/corpus")).data;
    toolbar();
    await write("edit", { id: ann.item.id, changes: { entity_id: data.result.entity.id } });
  },
};

async function replay(from, to, key) {
  const step = from.pop();
  if (!step) { status("error", `Nothing to ${key}.`); return; }
  const body = key === "undo" ? step.back : step.forth;
  const data = await write("restore", body, { record: false, quiet: true });
  if (!data) { from.push(step); return; }
  to.push(step);
  status("saved", `${key === "undo" ? "Undone" : "Redone"}: ${data.result.summary}`);
}
const undo = () => replay(S.undo, S.redo, "undo");
const redo = () => replay(S.redo, S.undo, "redo");

// ---- events -------------------------------------------------------------------------------

textNode.addEventListener("mouseup", (ev) => {
  const sel = window.getSelection();
  if (sel && !sel.isCollapsed) return;
  const ids = idsAt(ev.target);
  if (!ids.length) return;
  if (S.picking && S.builder) {
    const layer = S.picking === "evidence" ? "quotes" : "entities";
    const id = ids.find((i) => byId(i)?.layer === layer);
    if (!id) { status("error", `That is not a ${layer === "quotes" ? "quote" : "mention"}.`); return; }
    if (S.picking === "speaker") S.builder.speaker = { type: "mention", mention_id: id };
    else if (S.picking === "holder") S.builder.holder = { type: "mention", mention_id: id };
    else S.builder.evidence = { type: "quote", quote_id: id };
    S.picking = null;
    status("idle", "");
    panels();
    return;
  }
  // innermost first; a second click on the same place goes to the next annotation there
  const sorted = ids.map(byId).filter(Boolean).sort((a, b) => spanLength(a) - spanLength(b)).map((a) => a.item.id);
  const at = sorted.indexOf(S.focus);
  S.focus = sorted[(at + 1) % sorted.length];
  redraw();
});

function spanLength(ann) {
  return ann.spans.reduce((n, sp) => n + sp.e - sp.s, 0) || Infinity;
}

document.addEventListener("keydown", (ev) => {
  const target = ev.target;
  const typing = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
  const key = ev.key;
  const mod = ev.ctrlKey || ev.metaKey;
  if (mod && (key === "z" || key === "Z")) { ev.preventDefault(); (ev.shiftKey ? redo : undo)(); return; }
  if (mod && key === "y") { ev.preventDefault(); redo(); return; }
  if (typing) { if (key === "Escape") target.blur(); return; }
  if (ev.shiftKey && (key === "ArrowLeft" || key === "ArrowRight")) {
    const sel = window.getSelection();
    if (sel.rangeCount && textNode.contains(sel.anchorNode)) {
      ev.preventDefault();
      sel.modify("extend", key === "ArrowRight" ? "forward" : "backward", mod ? "word" : "character");
    }
    return;
  }
  if (mod || ev.altKey) return;
  const labelButton = /^[0-9]$/.test(key) ? document.querySelector(`#toolbar [data-hotkey="${key}"]`) : null;
  const queue = suggestions();
  const position = queue.findIndex((a) => a.item.id === S.focus);
  const actions = {
    t: () => $("mode").click(),
    n: startNumber,
    q: () => startQuote(),
    c: () => ctx.builderSet("cue"),
    s: startStance,
    Escape: () => { S.builder = null; S.picking = null; window.getSelection().removeAllRanges(); S.focus = null; redraw(); },
    Enter: () => (S.builder?.type === "number" ? $("save-number")?.click() : S.builder ? ctx.saveBuilder() : null),
    Delete: () => S.focus && ctx.remove([S.focus], false),
    j: () => queue.length && ctx.focus(queue[(position + 1) % queue.length].item.id),
    ArrowDown: () => queue.length && ctx.focus(queue[(position + 1) % queue.length].item.id),
    k: () => queue.length && ctx.focus(queue[(position - 1 + queue.length) % queue.length].item.id),
    ArrowUp: () => queue.length && ctx.focus(queue[(position - 1 + queue.length) % queue.length].item.id),
    a: () => position >= 0 && ctx.review("accept", [S.focus]),
    x: () => position >= 0 && ctx.review("reject", [S.focus]),
    A: () => queue.length && ctx.review("accept", []),
    X: () => queue.length && ctx.review("reject", []),
    e: () => $("detail").querySelector("input, select, textarea")?.focus(),
  };
  if (labelButton) { ev.preventDefault(); labelButton.click(); return; }
  if (key === "ArrowDown" || key === "ArrowUp") { if (!queue.length) return; }
  const run = actions[key];
  if (run) { ev.preventDefault(); run(); }
});

// ---- start --------------------------------------------------------------------------------

async function start() {
  status("loading", "Loading…");
  const [corpus, doc] = await Promise.all([getJSON("/api/corpus"), getJSON(`/api/doc/${encodeURIComponent(docId)}`)]);
  if (doc.status !== 200 || corpus.status !== 200) { status("error", (doc.data.error ?? corpus.data.error) || "cannot load"); return; }
  S.corpus = corpus.data;
  S.doc = doc.data;
  $("doc-title").textContent = S.doc.title;
  document.title = `${S.doc.title} · ${docId}`;
  const whose = $("pass-of");
  whose.textContent = S.doc.annotator ? `${S.doc.annotator}'s pass (${S.doc.file}${S.doc.started ? "" : ", not started"})` : `gold (${S.doc.file})`;
  whose.dataset.pass = S.doc.annotator ?? "gold";
  toolbar();
  keysPanel($("keys"));
  redraw();
  status("ready", S.corpus.pass ? `Annotating ${S.corpus.pass}'s pass` : S.corpus.annotator ? `Annotating gold as ${S.corpus.annotator}` : "Ready");
  document.body.dataset.readyMs = performance.now().toFixed(1); // since navigation started
  document.body.dataset.ready = "1";
}

start();
