// Drawing the document text with every layer, and mapping selections to offsets.
// All offsets here are UTF-16 code units, as the DOM counts them; the server converts to and from
// the code points stored in the annotation files (corpus_pkg/text/offsets.py), nowhere else.

import { labelColour } from "./dom.js";

const LAYER_CLASS = { entities: "ent", quotes: "quo", numbers: "num", stance: "stc" };

// Draw state.text into container: one <span> per stretch between consecutive span boundaries,
// carrying the ids of the annotations covering it. textContent of container === state.text.
export function drawText(container, state, focusId, issueIds, pending = []) {
  const text = state.text;
  const marks = [];
  for (const ann of state.annotations) {
    for (const span of ann.spans) marks.push({ s: span.s, e: span.e, ann, role: span.role });
  }
  for (const seg of state.segments) marks.push({ s: seg.s, e: seg.e, seg });
  for (const part of pending) marks.push({ s: part.s, e: part.e, pending: true });
  for (const issue of state.issues) if (issue.s !== undefined && issue.e > issue.s) marks.push({ s: issue.s, e: issue.e, issue });
  const points = new Set([0, text.length]);
  for (const m of marks) { points.add(Math.max(0, Math.min(m.s, text.length))); points.add(Math.max(0, Math.min(m.e, text.length))); }
  const bounds = [...points].sort((a, b) => a - b);
  const starts = new Map();
  for (const m of marks) {
    if (!starts.has(m.s)) starts.set(m.s, []);
    starts.get(m.s).push(m);
  }
  const active = new Set();
  const frag = document.createDocumentFragment();
  for (let i = 0; i + 1 < bounds.length; i++) {
    const s = bounds[i], e = bounds[i + 1];
    for (const m of active) if (m.e <= s) active.delete(m);
    for (const m of starts.get(s) ?? []) if (m.e > s) active.add(m);
    const node = document.createElement("span");
    node.textContent = text.slice(s, e);
    node._s = s;
    if (active.size) decorate(node, active, s, focusId, issueIds);
    frag.append(node);
  }
  container.replaceChildren(frag);
}

function decorate(node, active, s, focusId, issueIds) {
  const classes = [];
  const ids = [];
  let entity = null;
  for (const m of active) {
    if (m.seg) {
      if (m.seg.kind === "boilerplate") classes.push("boiler");
      if (m.s === s) { classes.push("seg-start"); node.dataset.seg = m.seg.kind; }
      continue;
    }
    if (m.issue) { classes.push("issue"); continue; }
    if (m.pending) { classes.push("pending"); continue; }
    const item = m.ann.item;
    ids.push(item.id);
    classes.push(m.role === "cue" ? "cue" : m.role === "speaker" || m.role === "holder" ? "who" : LAYER_CLASS[m.ann.layer]);
    if (item.origin === "suggestion") classes.push("sug");
    if (item.id === focusId) classes.push("focus");
    if (issueIds.has(item.id)) classes.push("issue");
    if (m.ann.layer === "entities" && (!entity || m.e - m.s < entity.e - entity.s)) entity = m;
  }
  if (entity) node.style.setProperty("--c", labelColour(entity.ann.item.label));
  if (ids.length) node.dataset.ids = ids.join(" ");
  node.className = [...new Set(classes)].join(" ");
}

// The UTF-16 offset of a DOM position inside container.
export function offsetOf(container, node, offset) {
  if (node.nodeType === Node.TEXT_NODE && node.parentNode?._s !== undefined && node.parentNode.parentNode === container) {
    return node.parentNode._s + offset;
  }
  const range = document.createRange();
  range.setStart(container, 0);
  range.setEnd(node, offset);
  return range.toString().length;
}

// The current selection as [s, e] inside container, or null.
export function selectionOffsets(container) {
  const sel = window.getSelection();
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
  const range = sel.getRangeAt(0);
  if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
  const s = offsetOf(container, range.startContainer, range.startOffset);
  const e = offsetOf(container, range.endContainer, range.endOffset);
  return s < e ? [s, e] : null;
}

// Snap [s, e] to the tokens of the project's tokenizer (flat [start, end, start, end, ...] list):
// a boundary inside a token moves to the token's edge, blanks at either end are dropped.
export function snapToTokens(tokens, s, e) {
  const count = tokens.length / 2;
  const lastStartAtOrBefore = (x) => {
    let lo = 0, hi = count - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (tokens[2 * mid] <= x) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  };
  let i = lastStartAtOrBefore(s);
  let start = s;
  if (i >= 0 && tokens[2 * i + 1] > s) start = tokens[2 * i];
  else if (i + 1 < count && tokens[2 * (i + 1)] < e) start = tokens[2 * (i + 1)];
  let j = lastStartAtOrBefore(e - 1);
  let end = e;
  if (j >= 0 && tokens[2 * j] >= start) end = Math.max(tokens[2 * j + 1], start + 1);
  return end > start ? [start, end] : [s, e];
}

// Annotation ids under a DOM node (innermost = shortest first).
export function idsAt(node) {
  const piece = node?.nodeType === Node.TEXT_NODE ? node.parentNode : node;
  return piece?.dataset?.ids ? piece.dataset.ids.split(" ") : [];
}

// Scroll the first piece of an annotation into view.
export function showAnnotation(container, id) {
  for (const piece of container.children) {
    if (piece.dataset.ids && piece.dataset.ids.split(" ").includes(id)) {
      piece.scrollIntoView({ block: "center" });
      return piece;
    }
  }
  return null;
}
