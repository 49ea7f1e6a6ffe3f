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

Export (IOB2, two columns ``token tag``, one file ``<corpus name>.conll``) writes exactly the
``ner`` release config: its paragraphs (one per "sentence"), the tokens of
:mod:`corpus_pkg.text.tokenize` and its BIO tags of gold mentions. Mentions the ``ner`` config
skips (overlapping, off token boundaries, outside the title/body text), suggestions, quotes,
numbers and stance are not exported; all are reported.
"""

from __future__ import annotations

from pathlib import Path

from .._io import atomic_write_text
from ..corpus import Corpus
from ..schema import ANNOTATION_LAYERS, GOLD_ORIGINS, Document, EntityMention
from ..text.tokenize import bio_tags, paragraphs
from ._common import ENTITIES, ImportBatch, ReadContext, new_document, safe_doc_id
from ._report import ConvertReport, SourceError
from .interface import ConllOptions

DOCSTART = "-DOCSTART-"
SUFFIXES = (".conll", ".iob", ".bio", ".conllu", ".txt", ".tsv")

Token = tuple[str, str, int]  # token, tag, line number


# ---------------------------------------------------------------------------------------- import


def read(path: Path, ctx: ReadContext) -> ImportBatch:
    """Read one CoNLL file, or every CoNLL-looking file in a folder (sorted by name)."""
    path = Path(path)
    files = sorted(p for p in path.iterdir() if p.suffix in SUFFIXES) if path.is_dir() else [path]
    if not files:
        raise SourceError(f"{path.name}: no CoNLL files ({', '.join(SUFFIXES)}) found")
    batch = ImportBatch()
    for file in files:
        with ctx.guard(file.name):
            docs = _read_file(file, ctx)
            batch.documents.extend(docs)
            batch.files.update((d.doc_id, file.name) for d in docs)
    return batch


def _read_file(path: Path, ctx: ReadContext) -> list[Document]:
    text = ctx.read_text(path)
    options: ConllOptions = ctx.options or ConllOptions()
    tag_column, scheme = options.tag_column, options.scheme
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
                raise SourceError(f"line {number}: {line!r} has one column; expected 'token ... tag'", line=number)
            if not -ncols <= tag_column < ncols:
                raise SourceError(f"tag column {tag_column} does not exist (lines have {ncols} columns)", line=number)
        elif len(cols) != ncols:
            raise SourceError(f"line {number}: {len(cols)} columns where earlier lines have {ncols}: {line!r}")
        sentence.append((cols[0], cols[tag_column], number))
    if sentence:
        doc.append(sentence)
    if doc:
        documents.append(doc)
    stem = safe_doc_id(path.stem)
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
            raise SourceError(f"line {number}: tag {tag!r} is not O, B-X, I-X, E-X or S-X", line=number)
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


def _doc_block(doc: Document, report: ConvertReport) -> str:
    """The paragraphs, tokens and BIO tags of the ``ner`` release config, one token per line."""
    ann = doc.annotations
    gold = [e for e in ann.entities if e.origin in GOLD_ORIGINS]
    paras = list(paragraphs(doc.text, ann))
    tags, skipped = bio_tags(paras, gold)
    lines: list[str] = []
    for para, row in zip(paras, tags):
        lines.extend(f"{token} {tag}" for token, tag in zip(para.tokens, row))
        lines.append("")
    report.count(ENTITIES, len(gold) - len(skipped))
    by_id = {e.id: e for e in gold}
    overlapping = [s for s in skipped if s.reason.startswith("overlaps")]
    unfit = [s for s in skipped if not s.reason.startswith("overlaps")]
    for code, found, message in (
        ("overlap-dropped", overlapping, "CoNLL tags cannot nest; overlapping mentions dropped"),
        ("token-boundary", unfit, "mentions that do not fit the tokens of the ner config were not tagged"),
    ):
        if found:
            report.add(
                code,
                message,
                doc_id=doc.doc_id,
                lines=[f"{s.mention_id} {by_id[s.mention_id].text!r}: {s.reason}" for s in found],
            )
    pending = len(ann.entities) - len(gold)
    lost = [f"{pending} suggested entities"] if pending else []
    lost += [f"{len(getattr(ann, layer))} {layer}" for layer in ANNOTATION_LAYERS[1:] if getattr(ann, layer)]
    if lost:
        report.add(
            "not-exported", "CoNLL holds gold entity tags only; not exported: " + ", ".join(lost), doc_id=doc.doc_id
        )
    return "".join(line + "\n" for line in lines)


class ConllConverter:
    """The CoNLL converter."""

    name = "conll"
    description = "CoNLL token-per-line BIO/IOB files"
    options = ConllOptions
    read = staticmethod(read)
    write = staticmethod(write)
