"""Show a document with its annotation layers highlighted: plain text, terminal colours, HTML.

All three views walk the same list of marks, so they always agree. Spans that cross each other
(rather than nest) are split at the crossing point and the mark is reopened, keeping the output
well formed. In HTML every piece of document text is escaped and the page loads nothing.
"""

from __future__ import annotations

import html
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .._io import atomic_write_text
from ..corpus import Corpus, CorpusError, sha256_bytes
from ..schema import Document, EntityRegistry
from ..text.numbers import format_value

__all__ = ("DEFAULT_LAYERS", "LAYERS", "Mark", "collect_marks", "render", "render_html", "render_plain", "show")

#: Layers a view can show, in drawing order (outermost first when spans start together).
LAYERS = ("segments", "quotes", "stance", "entities", "numbers")
DEFAULT_LAYERS = ("quotes", "stance", "entities", "numbers")

_LAYER_TITLES = {
    "segments": "Segments",
    "quotes": "Quotes (content, cue, nominal speaker)",
    "stance": "Stance (evidence, nominal holder)",
    "entities": "Entity mentions",
    "numbers": "Numbers (value in the tooltip)",
}
_PALETTE = (
    "#ffd6a5",
    "#caffbf",
    "#9bf6ff",
    "#bdb2ff",
    "#ffc6ff",
    "#fdffb6",
    "#a0c4ff",
    "#ffadad",
    "#d0f4de",
    "#e4c1f9",
)
_TERM_STYLES = {
    "segments": "dim",
    "quotes": "italic green",
    "cue": "bold green",
    "speaker": "bold green",
    "stance": "magenta",
    "holder": "bold magenta",
    "numbers": "bold cyan",
}
_TERM_ENTITY_COLORS = ("yellow", "blue", "red", "bright_magenta", "bright_cyan", "bright_yellow", "bright_blue")


@dataclass(frozen=True)
class Mark:
    """A highlighted span: ``tag`` is shown after it, ``title`` is the HTML tooltip."""

    start: int
    end: int
    layer: str  # one of LAYERS
    role: str  # entity label, "quote", "cue", "speaker", "evidence", "holder", number kind, segment kind
    tag: str
    title: str
    order: int  # position in LAYERS, to nest consistently


def _check_layers(layers: Sequence[str] | None) -> tuple[str, ...]:
    if not layers:
        return DEFAULT_LAYERS
    unknown = [name for name in layers if name not in LAYERS]
    if unknown:
        raise ValueError(f"unknown layer(s) {', '.join(map(repr, unknown))}; choose from {', '.join(LAYERS)}")
    return tuple(name for name in LAYERS if name in layers)


def collect_marks(
    doc: Document, layers: Sequence[str] | None = None, registry: EntityRegistry | None = None
) -> list[Mark]:
    """The marks of the chosen ``layers`` (default: all but segments), in text order."""
    chosen = _check_layers(layers)
    ann = doc.annotations
    names = {e.id: e.name for e in registry.entities} if registry else {}
    mentions = {e.id: e for e in ann.entities}
    marks: list[Mark] = []

    def add(span, layer: str, role: str, tag: str, title: str, origin: str | None = None) -> None:
        if origin == "suggestion":
            tag, title = f"{tag} ?", f"{title} (unreviewed suggestion)"
        marks.append(Mark(span.start, span.end, layer, role, tag, title, LAYERS.index(layer)))

    if "segments" in chosen:
        for seg in ann.segments:
            add(seg, "segments", seg.kind, seg.kind, f"segment: {seg.kind}")
    if "quotes" in chosen:
        for quote in ann.quotes:
            who = _speaker(quote.speaker, mentions)
            title = f"{quote.id} {quote.kind} quote, speaker: {who}"
            for frag in quote.fragments:
                add(frag, "quotes", "quote", f"{quote.id} {quote.kind} ← {who}", title, quote.origin)
            if quote.cue is not None:
                add(quote.cue, "quotes", "cue", f"cue {quote.id}", f"cue of {quote.id}", quote.origin)
            if quote.speaker.type == "nominal":
                add(quote.speaker, "quotes", "speaker", f"speaker {quote.id}", f"speaker of {quote.id}", quote.origin)
    if "stance" in chosen:
        for st in ann.stance:
            summary = f"{st.id} {st.label} {st.target}"
            if st.evidence.type == "span":
                holder = _holder(st.holder, mentions)
                add(st.evidence, "stance", "evidence", summary, f"{summary}, holder: {holder}", st.origin)
            if st.holder.type == "nominal":
                add(st.holder, "stance", "holder", f"holder {st.id}", f"holder of {st.id}", st.origin)
    if "entities" in chosen:
        for ent in ann.entities:
            link = f" → {ent.entity_id}" + (f" ({names[ent.entity_id]})" if ent.entity_id in names else "")
            title = f"{ent.label} {ent.id}" + (link if ent.entity_id else "")
            add(ent, "entities", ent.label, f"{ent.label} {ent.id}", title, ent.origin)
    if "numbers" in chosen:
        for num in ann.numbers:
            unit = f" {num.unit}" if num.unit else ""
            value = format_value(num.value)
            title = f"value={value} kind={num.kind}" + (f" unit={num.unit}" if num.unit else "")
            tag = f"{num.kind} {num.id} ={value}{unit}"
            add(num, "numbers", num.kind, tag, f"{title} qualifier={num.qualifier}", num.origin)
    marks.sort(key=lambda m: (m.start, -m.end, m.order))
    return marks


def _speaker(speaker, mentions) -> str:
    if speaker.type == "mention":
        mention = mentions.get(speaker.mention_id)
        return f"{speaker.mention_id} {mention.text}" if mention else speaker.mention_id
    if speaker.type == "nominal":
        return speaker.text
    return "unknown speaker"


def _holder(holder, mentions) -> str:
    if holder.type == "entity":
        return holder.entity_id
    return _speaker(holder, mentions)


# --------------------------------------------------------------------------- the walker


def _walk(text: str, marks: Sequence[Mark]) -> Iterator[tuple[str, object, tuple[Mark, ...]]]:
    """Yield ("open", mark, stack), ("close", mark, stack) and ("text", str, stack) events."""
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    starts: dict[int, list[Mark]] = {}
    for mark in marks:
        starts.setdefault(mark.start, []).append(mark)
    stack: list[Mark] = []
    for i, pos in enumerate(cuts):
        ending = [m for m in stack if m.end == pos]
        if ending:
            reopen: list[Mark] = []
            while ending:
                top = stack.pop()
                yield "close", top, tuple(stack)
                if top in ending:
                    ending.remove(top)
                else:
                    reopen.append(top)
            for mark in reversed(reopen):
                stack.append(mark)
                yield "open", mark, tuple(stack)
        for mark in starts.get(pos, ()):
            stack.append(mark)
            yield "open", mark, tuple(stack)
        if i + 1 < len(cuts):
            yield "text", text[pos : cuts[i + 1]], tuple(stack)


def render_plain(doc: Document, marks: Sequence[Mark]) -> str:
    """Bracket markup: ``[Amber Rudd]{PERSON e1}``; unmarked text is unchanged."""
    out = io.StringIO()
    for kind, value, _stack in _walk(doc.text, marks):
        if kind == "text":
            out.write(value)  # type: ignore[arg-type]
        elif kind == "open":
            out.write("[")
        else:
            out.write("]{" + value.tag + "}")  # type: ignore[attr-defined]
    return out.getvalue()


def _term_style(mark: Mark, entity_colors: dict[str, str]) -> str:
    if mark.layer == "entities":
        return f"underline {entity_colors[mark.role]}"
    if mark.layer == "quotes" and mark.role in ("cue", "speaker"):
        return _TERM_STYLES[mark.role]
    if mark.layer == "stance" and mark.role == "holder":
        return _TERM_STYLES["holder"]
    return _TERM_STYLES[mark.layer]


def render_ansi(doc: Document, marks: Sequence[Mark]) -> str:
    """Terminal colours (rich): highlighted spans followed by a dim tag."""
    from rich.console import Console
    from rich.text import Text

    labels = sorted({m.role for m in marks if m.layer == "entities"})
    entity_colors = {label: _TERM_ENTITY_COLORS[i % len(_TERM_ENTITY_COLORS)] for i, label in enumerate(labels)}
    rendered = Text()
    for kind, value, stack in _walk(doc.text, marks):
        if kind == "text":
            style = " ".join(_term_style(m, entity_colors) for m in stack)
            rendered.append(value, style=style or None)  # type: ignore[arg-type]
        elif kind == "close":
            rendered.append(f"⟨{value.tag}⟩", style="dim")  # type: ignore[attr-defined]
    console = Console(file=io.StringIO(), force_terminal=True, color_system="standard", width=10_000)
    console.print(rendered, soft_wrap=True, end="")
    return console.file.getvalue()  # type: ignore[attr-defined]


def _stance_footer(doc: Document) -> list[str]:
    mentions = {e.id: e for e in doc.annotations.entities}
    lines = []
    for st in doc.annotations.stance:
        evidence = st.evidence.quote_id if st.evidence.type == "quote" else f"[{st.evidence.start}:{st.evidence.end}]"
        lines.append(f"  {st.id}: {_holder(st.holder, mentions)} is {st.label} {st.target} (evidence {evidence})")
    return lines


def show(root: str | Path, doc_id: str, layers: Sequence[str] | None = None, color: bool = False) -> str:
    """Document ``doc_id`` with its layers marked, for the terminal.

    Without ``color`` the markup is plain brackets, ``[Amber Rudd]{PERSON e1}``; with it, rich
    styles (ANSI escapes). Stance is summed up in a footer.

    Example:
        >>> print(show("corpus", "doc1", layers=["entities"]))  # doctest: +SKIP
    """
    corpus = Corpus.at(root)
    doc = _read(corpus, doc_id)
    marks = collect_marks(doc, layers, corpus.registry)
    body = render_ansi(doc, marks) if color else render_plain(doc, marks)
    stale = stale_warning(corpus, doc)
    if stale:
        body = f"! {stale}\n\n{body}"
    if not body.endswith("\n"):
        body += "\n"
    if "stance" in _check_layers(layers) and doc.annotations.stance:
        body += "\nStance:\n" + "\n".join(_stance_footer(doc)) + "\n"
    return body


def stale_warning(corpus: Corpus, doc: Document) -> str:
    """A warning when the raw text no longer matches the annotations' sha256 pin, else ''."""
    if sha256_bytes(corpus.raw_path(doc.doc_id).read_bytes()) == doc.annotations.raw_sha256:
        return ""
    return f"raw/{doc.doc_id}.txt changed since it was annotated; marks may be misplaced (run `corpus reanchor`)"


def _read(corpus: Corpus, doc_id: str) -> Document:
    if not corpus.annotation_path(doc_id).is_file():
        raise CorpusError(f"no document {doc_id!r} in {corpus.root} (annotations/{doc_id}.json not found)")
    return corpus.read_document(doc_id)


# --------------------------------------------------------------------------- HTML

_CSS = """
body{font:16px/1.6 Georgia,serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222;background:#fff}
h1{font-size:1.5rem;margin-bottom:.2rem} h2{font-size:1.1rem;margin-top:2rem}
.meta{color:#666;font-size:.9rem} .warn{background:#fff3cd;padding:.5rem;border:1px solid #e0c36a}
#text{white-space:pre-wrap;font:inherit;border-top:1px solid #ddd;padding-top:1rem}
.m{border-radius:3px;padding:0 1px}
.m::after{content:attr(data-tag);font:11px/1 sans-serif;color:#555;vertical-align:super;margin-left:2px}
.layer-segments{background:none;border-left:3px solid #ccc}
.layer-segments.role-boilerplate,.layer-segments.role-byline,.layer-segments.role-caption{color:#999}
.layer-quotes.role-quote{background:#e6f4ea;border-bottom:2px solid #34a853}
.layer-quotes.role-cue,.layer-quotes.role-speaker{font-weight:bold;color:#137333}
.layer-stance.role-evidence{box-shadow:inset 0 -3px #c2185b}
.layer-stance.role-holder{font-weight:bold;color:#c2185b}
.layer-numbers{outline:1px dashed #1a73e8;background:#e8f0fe}
.layer-entities{border-bottom:2px solid #555}
table{border-collapse:collapse;font:14px/1.4 sans-serif;width:100%}
td,th{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
#legend ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem}
""".strip()


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def render_html(
    doc: Document,
    layers: Sequence[str] | None = None,
    registry: EntityRegistry | None = None,
    warning: str = "",
    extra_html: Sequence[str] = (),
) -> str:
    """A self-contained HTML page: escaped text, inline CSS, no scripts, no external resources.

    Hovering a mark shows its details (numbers show their value); each mark's short tag is
    drawn after it by CSS, so the text of ``#text`` is exactly the raw text. ``extra_html`` is
    appended to the body as is: callers escape what they put in it (``corpus serve`` adds its
    review forms there).
    """
    chosen = _check_layers(layers)
    marks = collect_marks(doc, chosen, registry)
    ann = doc.annotations
    labels = sorted({m.role for m in marks if m.layer == "entities"})
    label_class = {label: f"lab-{i}" for i, label in enumerate(labels)}
    css = [_CSS]
    css.extend(f".{label_class[label]}{{background:{_PALETTE[i % len(_PALETTE)]}}}" for i, label in enumerate(labels))
    parts: list[str] = []
    for kind, value, _stack in _walk(doc.text, marks):
        if kind == "text":
            parts.append(_esc(value))
        elif kind == "open":
            mark: Mark = value  # type: ignore[assignment]
            classes = ["m", f"layer-{mark.layer}"]
            if mark.layer == "entities":
                classes.append(label_class[mark.role])
            else:
                classes.append(f"role-{mark.role}")
            parts.append(
                f'<span class="{_esc(" ".join(classes))}" title="{_esc(mark.title)}" data-tag="{_esc(mark.tag)}">'
            )
        else:
            parts.append("</span>")
    meta = ann.meta
    byline = " · ".join(
        _esc(x)
        for x in (
            meta.outlet,
            meta.published.isoformat() if meta.published else None,
            ", ".join(meta.authors) if meta.authors else None,
            meta.url,
            f"document {ann.doc_id}",
        )
        if x
    )
    page = [
        "<!DOCTYPE html>",
        f'<html lang="{_esc(meta.language)}">',
        "<head>",
        '<meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(ann.doc_id)} — {_esc(meta.title)}</title>",
        f"<style>\n{chr(10).join(css)}\n</style>",
        "</head>",
        "<body>",
        f'<header><h1>{_esc(meta.title)}</h1><p class="meta">{byline}</p></header>',
    ]
    if warning:
        page.append(f'<p class="warn">{_esc(warning)}</p>')
    page.extend(_legend(marks, chosen, labels, label_class))
    page.append(f'<pre id="text">{"".join(parts)}</pre>')
    page.extend(_quote_table(doc) if "quotes" in chosen else [])
    page.extend(_stance_table(doc) if "stance" in chosen else [])
    page.extend(extra_html)
    page.extend(["</body>", "</html>"])
    return "\n".join(page) + "\n"


def _legend(marks: Sequence[Mark], chosen: Iterable[str], labels: list[str], label_class: dict[str, str]) -> list[str]:
    items = []
    for layer in chosen:
        count = sum(1 for m in marks if m.layer == layer)
        sample = f'<span class="m layer-{layer} role-{"quote" if layer == "quotes" else "evidence"}">{layer}</span>'
        items.append(f"<li>{sample} {_esc(_LAYER_TITLES[layer])}: {count}</li>")
        if layer == "entities":
            for label in labels:
                n = sum(1 for m in marks if m.layer == "entities" and m.role == label)
                items.append(f'<li><span class="m layer-entities {label_class[label]}">{_esc(label)}</span> {n}</li>')
    return ['<section id="legend"><h2>Legend</h2><ul>', *items, "</ul></section>"]


def _quote_table(doc: Document) -> list[str]:
    if not doc.annotations.quotes:
        return []
    mentions = {e.id: e for e in doc.annotations.entities}
    rows = ['<section id="quotes"><h2>Quotes</h2><table>', "<tr><th>id</th><th>kind</th><th>speaker</th>"]
    rows[-1] += "<th>cue</th><th>text</th></tr>"
    for q in doc.annotations.quotes:
        text = " … ".join(f.text for f in q.fragments)
        cue = q.cue.text if q.cue else ""
        rows.append(
            f"<tr><td>{_esc(q.id)}</td><td>{_esc(q.kind)}</td><td>{_esc(_speaker(q.speaker, mentions))}</td>"
            f"<td>{_esc(cue)}</td><td>{_esc(text)}</td></tr>"
        )
    rows.append("</table></section>")
    return rows


def _stance_table(doc: Document) -> list[str]:
    if not doc.annotations.stance:
        return []
    mentions = {e.id: e for e in doc.annotations.entities}
    rows = ['<section id="stance"><h2>Stance</h2><table>']
    rows.append("<tr><th>id</th><th>holder</th><th>label</th><th>target</th><th>evidence</th></tr>")
    for st in doc.annotations.stance:
        evidence = f"quote {st.evidence.quote_id}" if st.evidence.type == "quote" else st.evidence.text
        rows.append(
            f"<tr><td>{_esc(st.id)}</td><td>{_esc(_holder(st.holder, mentions))}</td><td>{_esc(st.label)}</td>"
            f"<td>{_esc(st.target)}</td><td>{_esc(evidence)}</td></tr>"
        )
    rows.append("</table></section>")
    return rows


def render(
    root: str | Path, doc_id: str, html_path: str | Path, layers: Sequence[str] | None = None, force: bool = False
) -> Path:
    """Write the HTML view of ``doc_id`` to ``html_path`` (refusing to overwrite without ``force``).

    Example:
        >>> render("corpus", "doc1", "doc1.html")  # doctest: +SKIP
    """
    out = Path(html_path)
    if out.exists() and not force:
        raise FileExistsError(f"{out} already exists; pass --force to overwrite it")
    if out.is_dir():
        raise FileExistsError(f"{out} is a folder; give a file name such as {out / (doc_id + '.html')}")
    corpus = Corpus.at(root)
    doc = _read(corpus, doc_id)
    atomic_write_text(out, render_html(doc, layers, corpus.registry, stale_warning(corpus, doc)))
    return out
