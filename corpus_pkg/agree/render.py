"""Agreement reports as Markdown tables (what ``corpus agree`` prints by default)."""

from __future__ import annotations

from typing import Any

from .report import AgreementReport, MatrixReport, layer_figures

__all__ = ("render_matrix", "render_report")

#: Per layer: the figure shown in the kappa and alpha columns, and the "more" column's figures.
_KAPPA = {"entities": "kappa", "quotes": "kind_kappa", "numbers": "kind_kappa", "stance": "kappa"}
_MORE = {
    "entities": (("span F1", "span_f1"), ("label", "label_agreement"), ("link", "link_agreement")),
    "quotes": (("exact F1", "exact_f1"), ("kind", "kind_agreement"), ("speaker", "speaker_agreement")),
    "numbers": (("span F1", "span_f1"), ("value", "value_agreement"), ("kind", "kind_agreement")),
    "stance": (("pair F1", "pair_f1"), ("label", "label_agreement"), ("evidence", "evidence_agreement")),
}
HEADER = (
    "| layer | A | B | matched | precision | recall | F1 | kappa | alpha | more |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
)


def fmt(value: float | None) -> str:
    """Three decimals, or an en dash for an undefined figure."""
    return "–" if value is None else f"{value:.3f}"


def layer_row(layer: str, fig: dict[str, Any], first: str | None = None) -> str:
    """One table row: counts, P/R/F1, kappa, alpha and the layer's further figures."""
    more = ", ".join(f"{name} {fmt(fig[key])}" for name, key in _MORE[layer])
    cells = [
        *([first] if first is not None else []),
        layer,
        str(fig["n_a"]),
        str(fig["n_b"]),
        str(fig["matched"]),
        fmt(fig["precision"]),
        fmt(fig["recall"]),
        fmt(fig["f1"]),
        fmt(fig[_KAPPA[layer]]),
        fmt(fig.get("alpha")),
        more,
    ]
    return "| " + " | ".join(cells) + " |"


def render_report(report: AgreementReport, per_doc: bool = False) -> str:
    """Totals table, per-label table, metadata differences and (``per_doc``) one row per document and layer."""
    out = [
        f"Pass A (reference): {report.pass_a}; pass B: {report.pass_b}",
        f"Documents compared: {len(report.doc_ids)} ({', '.join(report.doc_ids)})",
        "",
        HEADER,
    ]
    figures = {layer: report.figures(layer) for layer in report.layers}
    out += [layer_row(layer, figures[layer]) for layer in report.layers]
    out += [
        "",
        "| layer | label | A | B | matched | precision | recall | F1 |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for layer in report.layers:
        for label, row in figures[layer]["per_label"].items():
            out.append(
                f"| {layer} | {label} | {row['n_a']} | {row['n_b']} | {row['matched']} | {fmt(row['precision'])} | "
                f"{fmt(row['recall'])} | {fmt(row['f1'])} |"
            )
    if report.only_in_a or report.only_in_b:
        out += ["", f"Only in A: {', '.join(report.only_in_a) or '-'}; only in B: {', '.join(report.only_in_b) or '-'}"]
    for doc_id, diffs in report.meta_diffs.items():
        for key, (value_a, value_b) in diffs.items():
            out += ["", f"Metadata differs (not scored): {doc_id} {key}: A {value_a!r}, B {value_b!r}"]
    if per_doc:
        out += ["", "| document " + HEADER.replace("\n|", "\n|---|", 1)]
        for doc_id, tallies in report.per_doc.items():
            for layer in report.layers:
                out.append(layer_row(layer, layer_figures(layer, tallies[layer]), first=doc_id))
    return "\n".join(out) + "\n"


def render_matrix(report: MatrixReport, per_doc: bool = False) -> str:
    """Per layer, a matrix of pairwise F1 (rows and columns: the annotators), then each pair's totals."""
    out = [f"Annotators: {', '.join(report.annotators)}"]
    if report.alpha:
        out += [
            "",
            "Krippendorff's alpha of all annotators: " + ", ".join(f"{k} {fmt(v)}" for k, v in report.alpha.items()),
        ]
    for layer, table in report.matrix().items():
        out += ["", f"{layer} F1", "", "| | " + " | ".join(report.annotators) + " |"]
        out.append("|---|" + "---:|" * len(report.annotators))
        for a in report.annotators:
            out.append(f"| {a} | " + " | ".join(fmt(table[a][b]) if a != b else "·" for b in report.annotators) + " |")
    for pair in report.pairs:
        out += ["", f"## {pair.pass_a} (A) vs {pair.pass_b} (B)", "", render_report(pair, per_doc).rstrip("\n")]
    return "\n".join(out) + "\n"
