// The side panels: the editor of the chosen annotation, the quote/stance/number builders,
// the review queue, the validation issues and the keyboard map. Text goes in as text only.

import { clear, el, put, select } from "./dom.js";

export const NUMBER_KINDS = ["count", "money", "percent", "year", "date", "duration", "age", "ordinal", "rate", "other"];
export const QUALIFIERS = ["exact", "approximate", "lower_bound", "upper_bound"];
export const QUOTE_KINDS = ["direct", "indirect", "mixed"];
export const STANCE_LABELS = ["favor", "against", "neutral"];

export const KEYS = [
  ["select + 1…9, 0", "mark the selection as the entity label with that hotkey (or click the label)"],
  ["Shift+←/→ (Ctrl: by word)", "extend the selection in the text"],
  ["t", "toggle token snapping / character mode"],
  ["n", "number from the selection (value read by the number parser)"],
  ["q", "start a quote with the selection as its first fragment; again: add a fragment"],
  ["c", "quote builder: the selection is the cue"],
  ["s", "start a stance (evidence: the selection, if any)"],
  ["Enter", "save the open builder or editor"],
  ["Escape", "close the builder, clear the choice"],
  ["Delete", "delete the chosen annotation (refused while referenced; tick the editor's box to cascade)"],
  ["j / k", "next / previous suggestion"],
  ["a / x", "accept / reject the chosen suggestion and go to the next"],
  ["e", "edit the chosen annotation's fields"],
  ["Shift+A / Shift+X", "accept all / reject all suggestions"],
  ["Ctrl+Z / Ctrl+Shift+Z (Ctrl+Y)", "undo / redo (this session)"],
];

export function keysPanel(node) {
  put(clear(node), 
    el("h2", { text: "Keyboard" }),
    el("table", { class: "keys" }, KEYS.map(([k, what]) => el("tr", {}, el("th", { text: k }), el("td", { text: what })))),
  );
}

function spanList(ann) {
  return el("ul", { class: "spans" }, ann.spans.map((sp) => el("li", {}, el("span", { class: "role", text: sp.role }), ` [${sp.start}:${sp.end}] `, el("q", { text: sp.text }))));
}

function field(label, control) {
  return el("label", { class: "field" }, el("span", { text: label }), control);
}

// The editor of one annotation: its editable fields, accept/reject for a suggestion, delete.
export function detailPanel(node, ann, ctx) {
  clear(node);
  if (!ann) {
    put(node, el("h2", { text: "Annotation" }), el("p", { class: "hint", text: "Click a marked span to see and edit it." }));
    return;
  }
  const item = ann.item;
  const controls = {};
  const rows = [];
  if (ann.layer === "entities") {
    controls.label = select(ctx.corpus.labels.map((l) => [l.name, l.name]), item.label, { id: "edit-label" });
    controls.entity_id = el("input", { id: "edit-entity", list: "registry-list", value: item.entity_id ?? "", placeholder: "registry id (type a name)", autocomplete: "off" });
    rows.push(field("label", controls.label), field("registry", controls.entity_id),
      el("button", { type: "button", id: "new-registry", text: "New registry entity from this mention", onclick: () => ctx.newRegistryEntity(ann) }));
  } else if (ann.layer === "numbers") {
    controls.value = el("input", { id: "edit-value", type: "number", step: "any", value: String(item.value) });
    controls.kind = select(NUMBER_KINDS.map((k) => [k, k]), item.kind, { id: "edit-kind" });
    controls.unit = el("input", { id: "edit-unit", value: item.unit ?? "" });
    controls.qualifier = select(QUALIFIERS.map((k) => [k, k]), item.qualifier, { id: "edit-qualifier" });
    rows.push(field("value", controls.value), field("kind", controls.kind), field("unit", controls.unit), field("qualifier", controls.qualifier));
  } else if (ann.layer === "quotes") {
    controls.kind = select(QUOTE_KINDS.map((k) => [k, k]), item.kind, { id: "edit-kind" });
    const sp = item.speaker;
    rows.push(field("kind", controls.kind), el("p", { text: `speaker: ${sp.type === "mention" ? sp.mention_id : sp.type === "nominal" ? sp.text : "unknown"}` }));
  } else if (ann.layer === "stance") {
    controls.target = select(ctx.corpus.targets.map((t) => [t.id, t.id]), item.target, { id: "edit-target" });
    controls.label = select(STANCE_LABELS.map((k) => [k, k]), item.label, { id: "edit-stance-label" });
    const h = item.holder;
    rows.push(field("target", controls.target), field("label", controls.label),
      el("p", { text: `holder: ${h.type === "mention" ? h.mention_id : h.type === "entity" ? h.entity_id : h.text}; evidence: ${item.evidence.type === "quote" ? item.evidence.quote_id : "span"}` }));
  }
  controls.note = el("textarea", { id: "edit-note", rows: "2", value: item.note ?? "" });
  rows.push(field("note", controls.note));
  const changes = () => {
    const out = {};
    for (const [name, control] of Object.entries(controls)) {
      let value = control.value;
      if (name === "value") value = Number(value);
      else if (value === "" && ["entity_id", "unit", "note"].includes(name)) value = null;
      if ((item[name] ?? null) !== value) out[name] = value;
    }
    return out;
  };
  const cascade = el("input", { type: "checkbox", id: "cascade" });
  put(node, 
    el("h2", {}, `${ann.layer} `, el("code", { text: item.id }), " ", el("span", { class: `origin ${item.origin}`, text: item.origin })),
    item.source ? el("p", { class: "source", text: `source: ${item.source}` }) : null,
    spanList(ann),
    el("form", { id: "edit-form", onsubmit: (ev) => { ev.preventDefault(); ctx.edit(item.id, changes()); } },
      rows,
      el("div", { class: "buttons" },
        el("button", { type: "submit", id: "save-edit", text: "Save changes" }),
        item.origin === "suggestion" ? el("button", { type: "button", id: "accept-one", text: "Accept (a)", onclick: () => ctx.review("accept", [item.id]) }) : null,
        item.origin === "suggestion" ? el("button", { type: "button", id: "reject-one", text: "Reject (x)", onclick: () => ctx.review("reject", [item.id]) }) : null,
        el("button", { type: "button", id: "delete", class: "danger", text: "Delete", onclick: () => ctx.remove([item.id], cascade.checked) }),
        el("label", { class: "inline" }, cascade, " with what refers to it"),
      )),
  );
}

// The review queue: suggestions in text order.
export function reviewPanel(node, suggestions, focusId, ctx) {
  put(clear(node), 
    el("h2", { text: `Suggestions to review (${suggestions.length})` }),
    suggestions.length
      ? el("div", { class: "buttons" },
          el("button", { type: "button", id: "accept-all", text: "Accept all", onclick: () => ctx.review("accept", []) }),
          el("button", { type: "button", id: "reject-all", text: "Reject all", onclick: () => ctx.review("reject", []) }))
      : el("p", { class: "hint", text: "None: every annotation is gold." }),
    el("ol", { class: "queue" }, suggestions.map((ann) => el("li", { class: ann.item.id === focusId ? "current" : "", dataset: { id: ann.item.id }, onclick: () => ctx.focus(ann.item.id) },
      el("code", { text: ann.item.id }), ` ${ann.item.label ?? ann.item.kind ?? ""} `, el("q", { text: ann.spans[0]?.text ?? "" }), ann.item.source ? ` (${ann.item.source})` : ""))),
  );
}

export function issuesPanel(node, issues, ctx) {
  put(clear(node), 
    el("h2", { text: `Validation (${issues.filter((i) => i.severity === "error").length} errors, ${issues.filter((i) => i.severity !== "error").length} warnings)` }),
    el("ul", { class: "issues" }, issues.map((i) => el("li", { class: i.severity, onclick: () => i.annotation_id && ctx.focus(i.annotation_id) },
      el("strong", { text: `${i.severity}[${i.code}] ` }), i.annotation_id ? el("code", { text: `${i.annotation_id} ` }) : null, i.message))),
  );
}

// A builder of a quote or a stance: its parts are set from selections and clicks.
export function builderPanel(node, b, ctx) {
  clear(node);
  if (!b) return;
  const show = (sel) => (sel ? el("q", { text: sel.text }) : el("em", { text: "not set" }));
  if (b.type === "number") {
    const value = el("input", { id: "number-value", type: "number", step: "any", value: b.value ?? "" });
    const kind = select(NUMBER_KINDS.map((k) => [k, k]), b.kind ?? "count", { id: "number-kind" });
    const unit = el("input", { id: "number-unit", value: b.unit ?? "" });
    const qualifier = select(QUALIFIERS.map((k) => [k, k]), b.qualifier ?? "exact", { id: "number-qualifier" });
    put(node, el("h2", {}, "New number ", show(b.span)), b.problem ? el("p", { class: "error", text: b.problem }) : null,
      el("form", { id: "number-form", onsubmit: (ev) => { ev.preventDefault(); ctx.saveNumber({ value: value.value === "" ? null : Number(value.value), kind: kind.value, unit: unit.value || null, qualifier: qualifier.value }); } },
        field("value", value), field("kind", kind), field("unit", unit), field("qualifier", qualifier),
        el("div", { class: "buttons" }, el("button", { type: "submit", id: "save-number", text: "Save number" }), el("button", { type: "button", text: "Cancel", onclick: ctx.cancel }))));
    return;
  }
  if (b.type === "quote") {
    const kind = select(QUOTE_KINDS.map((k) => [k, k]), b.kind, { id: "quote-kind", onchange: (ev) => { b.kind = ev.target.value; } });
    const sp = b.speaker;
    put(node, el("h2", { text: "New quote" }),
      el("p", {}, "fragments: "), el("ol", { id: "quote-fragments" }, b.fragments.map((f) => el("li", {}, show(f)))),
      el("div", { class: "buttons" },
        el("button", { type: "button", id: "quote-add-fragment", text: "+ fragment (selection, q)", onclick: () => ctx.builderSet("fragment") }),
        el("button", { type: "button", id: "quote-cue", text: "cue = selection (c)", onclick: () => ctx.builderSet("cue") })),
      el("p", {}, "cue: ", show(b.cue)),
      el("p", {}, "speaker: ", sp.type === "mention" ? el("code", { text: sp.mention_id }) : sp.type === "nominal" ? show(sp.span) : el("em", { text: sp.type === "unknown" ? "unknown" : "not set" })),
      el("div", { class: "buttons" },
        el("button", { type: "button", id: "quote-speaker-pick", class: ctx.picking === "speaker" ? "active" : "", text: "pick a mention", onclick: () => ctx.pick("speaker") }),
        el("button", { type: "button", id: "quote-speaker-nominal", text: "selection (nominal)", onclick: () => ctx.builderSet("speaker") }),
        el("button", { type: "button", id: "quote-speaker-unknown", text: "unknown", onclick: () => { b.speaker = { type: "unknown" }; ctx.redraw(); } })),
      field("kind", kind),
      el("div", { class: "buttons" }, el("button", { type: "button", id: "save-quote", text: "Save quote (Enter)", onclick: ctx.saveBuilder }), el("button", { type: "button", text: "Cancel", onclick: ctx.cancel })));
    return;
  }
  const h = b.holder;
  const target = select([["", "(target)"], ...ctx.corpus.targets.map((t) => [t.id, `${t.id}: ${t.description}`])], b.target, { id: "stance-target", onchange: (ev) => { b.target = ev.target.value; } });
  const label = select(STANCE_LABELS.map((k) => [k, k]), b.label, { id: "stance-label", onchange: (ev) => { b.label = ev.target.value; } });
  const entity = select([["", "(registry entity)"], ...ctx.corpus.registry.map((e) => [e.id, e.name])], h.type === "entity" ? h.entity_id : "", { id: "stance-holder-entity", onchange: (ev) => { b.holder = { type: "entity", entity_id: ev.target.value }; ctx.redraw(); } });
  const ev = b.evidence;
  put(node, el("h2", { text: "New stance" }),
    el("p", {}, "holder: ", h.type === "mention" ? el("code", { text: h.mention_id }) : h.type === "nominal" ? show(h.span) : h.type === "entity" ? el("code", { text: h.entity_id }) : el("em", { text: "not set" })),
    el("div", { class: "buttons" },
      el("button", { type: "button", id: "stance-holder-pick", class: ctx.picking === "holder" ? "active" : "", text: "pick a mention", onclick: () => ctx.pick("holder") }),
      el("button", { type: "button", id: "stance-holder-nominal", text: "selection (nominal)", onclick: () => ctx.builderSet("holder") }), entity),
    field("target", target), field("label", label),
    el("p", {}, "evidence: ", ev.type === "quote" ? el("code", { text: ev.quote_id }) : ev.type === "span" ? show(ev.span) : el("em", { text: "not set" })),
    el("div", { class: "buttons" },
      el("button", { type: "button", id: "stance-evidence-span", text: "selection", onclick: () => ctx.builderSet("evidence") }),
      el("button", { type: "button", id: "stance-evidence-pick", class: ctx.picking === "evidence" ? "active" : "", text: "pick a quote", onclick: () => ctx.pick("evidence") })),
    el("div", { class: "buttons" }, el("button", { type: "button", id: "save-stance", text: "Save stance (Enter)", onclick: ctx.saveBuilder }), el("button", { type: "button", text: "Cancel", onclick: ctx.cancel })));
}
