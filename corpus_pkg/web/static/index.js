// The index: every document with per-layer counts, suggestions to review and validation state;
// the filter searches ids, titles and the text itself (on the server).

import { getJSON } from "./api.js";
import { el } from "./dom.js";

const body = document.querySelector("#documents tbody");
const filter = document.getElementById("filter");
const count = document.getElementById("doc-count");

function row(doc) {
  if (doc.unreadable) return el("tr", { class: "unreadable" }, el("td", { text: doc.doc_id }), el("td", { colspan: "8", text: doc.title }));
  const state = doc.errors ? `${doc.errors} error(s)` : doc.warnings ? `${doc.warnings} warning(s)` : "valid";
  return el("tr", { dataset: { docId: doc.doc_id } },
    el("td", {}, el("a", { href: `/doc/${encodeURIComponent(doc.doc_id)}`, text: doc.doc_id })),
    el("td", {}, doc.title, doc.hits ? el("span", { class: "hits", text: ` (${doc.hits} match${doc.hits === 1 ? "" : "es"})` }) : null),
    ...["entities", "quotes", "numbers", "stance"].map((layer) => el("td", { class: "n", text: String(doc.counts[layer]) })),
    el("td", { class: doc.suggestions ? "n pending" : "n", text: String(doc.suggestions) }),
    el("td", { class: doc.errors ? "bad" : doc.warnings ? "warn" : "ok", text: state }),
    el("td", { class: doc.queue ? "queue" : "", dataset: { queue: doc.queue ?? "" }, text: doc.queue ?? "" }));
}

let ticket = 0;
async function load() {
  const mine = ++ticket;
  const query = filter.value.trim();
  const { status, data } = await getJSON(`/api/docs${query ? `?q=${encodeURIComponent(query)}` : ""}`);
  if (mine !== ticket) return;
  if (status !== 200) { body.replaceChildren(el("tr", {}, el("td", { colspan: "9", text: data.error ?? `HTTP ${status}` }))); return; }
  body.replaceChildren(...data.documents.map(row));
  count.textContent = `${data.documents.length} document(s)`;
  document.body.dataset.ready = "1";
}

let timer = null;
filter.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(load, 150); });
getJSON("/api/corpus").then(({ data }) => {
  if (!data.annotator) return;
  document.getElementById("annotator").textContent = data.pass ? `${data.pass}'s pass (assigned documents first)` : `gold, as ${data.annotator}`;
});
load();
