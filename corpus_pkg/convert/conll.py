"""CoNLL token-per-line files: one token per line, the tag in the last column (or
``tag_column``), a blank line between sentences, ``-DOCSTART-`` lines between documents.

Import. CoNLL keeps tokens, not the original text, so each document gets a **synthetic raw
text**: the tokens of a sentence joined by single spaces, sentences separated by ``\\n``, and a
final ``\\n``. Entity spans are recovered over that text. Tags may be IOB2 (``B-`` starts every
mention), IOB1 (``I-`` starts a mention unless it continues one of the same type; ``B-`` only
separates two adjacent mentions of the same type) or BIOES/BILOU; the decoder accepts all of
them. With ``scheme="iob2"`` an ``I-`` that starts a mention is reported (``iob-repair``).
Files are read as UTF-8 unless ``encoding`` is given; anything else is a clear error asking for
``--encoding``. A file without ``-DOCSTART-`` is one document.

Export (IOB2, two columns ``token tag``, one file ``<corpus name>.conll``). Each raw-text line
is a sentence; tokens are ``\\w+`` runs and single punctuation characters, always split at
mention boundaries so no mention is widened or narrowed. Overlapping mentions keep the first
(longest) one; quotes, numbers and stance are not exported. Both are reported.
"""

from __future__ import annotations

import re
from pathlib import Path

from .._io import atomic_write_text
from ..corpus import Corpus, CorpusError
from ..schema import Document, EntityMention
from ._common import ImportBatch, ReadContext, decode, new_document, safe_doc_id
from ._report import ConvertReport

DOCSTART = "-DOCSTART-"
SUFFIXES = (".conll", ".iob", ".bio", ".conllu", ".txt", ".tsv")
_TOKEN = re.compile(r"\w+|[^\w\s]")

Token = tuple[str, str, int]  # token, tag, line number


# ---------------------------------------------------------------------------------------- import


def read(path: Path, ctx: ReadContext) -> ImportBatch:
    """Read one CoNLL file, or every CoNLL-looking file in a folder (sorted by name)."""
    path = Path(path)
    files = sorted(p for p in path.iterdir() if p.suffix in SUFFIXES) if path.is_dir() else [path]
    if not files:
        raise CorpusError(f"{path}: no CoNLL files ({', '.join(SUFFIXES)}) found")
    batch = ImportBatch()
    for file in files:
        batch.documents.extend(_read_file(file, ctx))
    return batch


def _read_file(path: Path, ctx: ReadContext) -> list[Document]:
    text = decode(path.read_bytes(), path, ctx.encoding)
    if ctx.encoding and ctx.encoding.replace("-", "").replace("_", "").lower() != "utf8":
        ctx.report.warn(
            "reencoded", f"decoded as {ctx.encoding}; the synthetic text is stored as UTF-8", file=path.name
        )
    tag_column = int(ctx.options.get("tag_column", -1))
    scheme = str(ctx.options.get("scheme", "auto"))
    if scheme not in ("auto", "iob1", "iob2"):
        raise CorpusError(f"unknown tagging scheme {scheme!r}; use auto, iob1 or iob2")
    documents: list[list[list[Token]]] = []
    doc: list[list[Token]] = []
    sentence: list[Token] = []
    ncols: int | None = None
    for number, raw_line in enumerate(text.split("\n"), start=1):
        line = raw_line.rstrip("\r")
        cols = line.split()
        if not cols or cols[0] == DOCSTART:
            if sentence:
                doc.append(sentence)
                sentence = []
            if cols and doc:
                documents.append(doc)
                doc = []
            continue
        if ncols is None:
            ncols = len(cols)
            if ncols < 2:
                raise CorpusError(f"{path.name}: line {number}: {line!r} has one column; expected 'token ... tag'")
            if not -ncols <= tag_column < ncols:
                raise CorpusError(f"{path.name}: tag column {tag_column} does not exist (lines have {ncols} columns)")
        elif len(cols) != ncols:
            raise CorpusError(
                f"{path.name}: line {number}: {len(cols)} columns where earlier lines have {ncols}: {line!r}"
            )
        sentence.append((cols[0], cols[tag_column], number))
    if sentence:
        doc.append(sentence)
    if doc:
        documents.append(doc)
    stem = ctx.options.get("id_prefix", "") + safe_doc_id(path.stem)
    out = []
    for n, sentences in enumerate(documents, start=1):
        doc_id = stem if len(documents) == 1 else f"{stem}-{n}"
        out.append(_document(doc_id, sentences, path.name, scheme, ctx.report))
    return out


def _document(doc_id: str, sentences: list[list[Token]], file: str, scheme: str, report: ConvertReport) -> Document:
    lines, spans, offset = [], [], 0
    repaired: list[str] = []
    for sentence in sentences:
        starts = []
        for tok, _tag, _n in sentence:
            starts.append(offset)
            offset += len(tok) + 1
        lines.append(" ".join(tok for tok, _t, _n in sentence))
        for first, last, label in _chunks(sentence, file, repaired):
            spans.append((starts[first], starts[last] + len(sentence[last][0]), label, sentence[first][2]))
    text = "\n".join(lines) + "\n"
    doc = new_document(doc_id, text)
    for k, (start, end, label, number) in enumerate(spans, start=1):
        doc.annotations.entities.append(
            EntityMention(
                id=f"e{k}",
                origin="imported",
                source=f"conll:{file}:{number}",
                start=start,
                end=end,
                text=text[start:end],
                label=label,
            )
        )
    if repaired and scheme == "iob2":
        report.warn(
            "iob-repair",
            f"{len(repaired)} mention(s) start with I- in an IOB2 file; read as B-",
            file=file,
            doc_id=doc_id,
            lines=repaired,
        )
    return doc


def _chunks(sentence: list[Token], file: str, repaired: list[str]) -> list[tuple[int, int, str]]:
    """(first token, last token, label) of each mention; accepts IOB1, IOB2, BIOES and BILOU."""
    out: list[tuple[int, int, str]] = []
    open_: tuple[int, str] | None = None
    for i, (tok, tag, number) in enumerate(sentence):
        if tag == "O":
            if open_:
                out.append((open_[0], i - 1, open_[1]))
            open_ = None
            continue
        prefix, sep, label = tag.partition("-")
        if not sep or prefix not in ("B", "I", "E", "S", "L", "U") or not label:
            raise CorpusError(f"{file}: line {number}: tag {tag!r} is not O, B-X, I-X, E-X or S-X")
        continues = prefix in ("I", "E", "L") and open_ is not None and open_[1] == label
        if not continues:
            if open_:
                out.append((open_[0], i - 1, open_[1]))
            if prefix in ("I", "E", "L"):
                repaired.append(f"line {number}: {tok} {tag}")
            open_ = (i, label)
        if prefix in ("E", "L", "S", "U"):
            out.append((open_[0], i, label))
            open_ = None
    if open_:
        out.append((open_[0], len(sentence) - 1, open_[1]))
    return out


# ---------------------------------------------------------------------------------------- export


def write(corpus: Corpus, docs: list[Document], out: Path, report: ConvertReport) -> None:
    """Write ``<corpus name>.conll`` (IOB2, ``token tag``), one ``-DOCSTART-`` block per document."""
    parts = []
    for doc in docs:
        parts.append(f"{DOCSTART} O\n\n")
        parts.append(_doc_block(doc, report))
    name = f"{corpus.config.name}.conll"
    atomic_write_text(out / name, "".join(parts))
    report.files.append(name)


def tokenize(text: str, cuts: set[int]) -> list[tuple[int, int]]:
    """Token (start, end) offsets: ``\\w+`` runs and single punctuation characters, split at ``cuts``."""
    out = []
    for m in _TOKEN.finditer(text):
        start = m.start()
        for cut in sorted(c for c in cuts if m.start() < c < m.end()):
            out.append((start, cut))
            start = cut
        out.append((start, m.end()))
    return out


def _doc_block(doc: Document, report: ConvertReport) -> str:
    ann, text = doc.annotations, doc.text
    kept: list[EntityMention] = []
    dropped: list[str] = []
    for e in sorted(ann.entities, key=lambda m: (m.start, -m.end)):
        if kept and e.start < kept[-1].end:
            dropped.append(f"{e.id} {e.label} [{e.start}, {e.end}) {e.text!r} overlaps {kept[-1].id}")
        else:
            kept.append(e)
    if dropped:
        report.warn(
            "overlap-dropped", "CoNLL tags cannot nest; overlapping mentions dropped", doc_id=doc.doc_id, lines=dropped
        )
    cuts = {e.start for e in kept} | {e.end for e in kept}
    owner: dict[int, EntityMention] = {}
    tokens = tokenize(text, cuts)
    k = 0
    for start, _end in tokens:
        while k < len(kept) and kept[k].end <= start:
            k += 1
        if k < len(kept) and kept[k].start <= start < kept[k].end:
            owner[start] = kept[k]
    lines: list[str] = []
    split_mentions: list[str] = []
    prev_owner: EntityMention | None = None
    prev_line = -1
    for start, end in tokens:
        line_no = text.count("\n", 0, start)
        if lines and line_no != prev_line:
            lines.append("")
            if prev_owner is not None and owner.get(start) is prev_owner:
                split_mentions.append(f"{prev_owner.id} {prev_owner.text!r}")
            prev_owner = None
        prev_line = line_no
        mention = owner.get(start)
        tag = "O" if mention is None else ("I-" if mention is prev_owner else "B-") + mention.label
        prev_owner = mention
        lines.append(f"{text[start:end]} {tag}")
    untagged = [f"{e.id} {e.text!r}" for e in kept if not any(owner.get(s) is e for s, _e in tokens)]
    if split_mentions:
        report.warn(
            "token-boundary",
            "mentions across a line break were split into two",
            doc_id=doc.doc_id,
            lines=split_mentions,
        )
    if untagged:
        report.warn(
            "token-boundary",
            "mentions with no word or punctuation token were not tagged",
            doc_id=doc.doc_id,
            lines=untagged,
        )
    lost = [f"{len(getattr(ann, layer))} {layer}" for layer in ("quotes", "numbers", "stance") if getattr(ann, layer)]
    if lost:
        report.warn("not-exported", "CoNLL holds entity tags only; not exported: " + ", ".join(lost), doc_id=doc.doc_id)
    return "".join(line + "\n" for line in lines) + ("\n" if lines else "")
