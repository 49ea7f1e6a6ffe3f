"""Property-based tests (hypothesis, bounded and derandomized): every importer on arbitrary and
mutated input never raises and always reports; random documents with astral-plane text, CRLF and
combining marks survive export -> import for every lossless format."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from corpus_pkg.annotate.articles import add_article, init_corpus
from corpus_pkg.convert import ConvertReport, ImportRefused, export_corpus, import_corpus
from corpus_pkg.corpus import Corpus
from corpus_pkg.schema import EntityMention, Quote, Span
from corpus_pkg.validate import validate

from .helpers import non_ascii_corpus, signature

MINI = Path(__file__).resolve().parents[1] / "data" / "mini"
BOUNDED = settings(
    max_examples=20, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)

#: Source file name each format reads, and a valid seed file for it (written by our own export).
SOURCE_FILE = {"brat": "doc1.ann", "labelstudio": "tasks.json", "doccano": "corpus.jsonl", "conll": "mini.conll"}


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Our own export of the mini corpus in every format: the inputs the mutations start from."""
    base = tmp_path_factory.mktemp("seeds")
    for fmt in SOURCE_FILE:
        export_corpus(fmt, base / fmt, root=MINI)
    return {fmt: base / fmt for fmt in SOURCE_FILE}


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and ".corpus_cache" not in p.parts)


def _import_never_raises(fmt: str, src: Path, work: Path) -> ConvertReport:
    """Import ``src`` into a fresh corpus; only a refusal with errors (and nothing written) may raise."""
    root = work / "corpus"
    init_corpus(root, name="t", entity_labels=[])
    before = _files(root)
    try:
        report = import_corpus(fmt, src, root=root)
    except ImportRefused as refused:
        assert refused.report.errors and not refused.report.applied
        assert _files(root) == before
        refused.report.to_text()
        refused.report.model_dump_json()
        return refused.report
    assert report.applied and report.valid is not None
    assert validate(root, cache=False).valid, report.to_text()
    report.to_text()
    report.model_dump_json()
    return report


def _mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    for position, delete, insert in edits:
        at = position % (len(data) + 1)
        data = data[:at] + insert + data[at + delete :]
    return data


_EDITS = st.lists(
    st.tuples(
        st.integers(0, 10_000),
        st.integers(0, 8),
        st.sampled_from(
            [
                b"",
                b"\n",
                b"\t",
                b'"',
                b"{",
                b"]",
                b"-1",
                b"1e999",
                b"true",
                b"null",
                b"\\ud800",
                b"\xff",
                b"\xf0\x9f\x98\x80",
                b";",
                b" 3 1",
                b"T1.5",
                b"99999999999999999999",
                b"[",
                b":",
                b",",
            ]
        ),
    ),
    min_size=1,
    max_size=6,
)


@pytest.mark.parametrize("fmt", list(SOURCE_FILE))
@BOUNDED
@given(edits=_EDITS)
def test_importers_on_mutated_files_never_raise(fmt: str, seeds: dict[str, Path], edits: list) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        src = work / "src"
        src.mkdir()
        for path in seeds[fmt].iterdir():
            data = path.read_bytes()
            (src / path.name).write_bytes(_mutate(data, edits) if path.name == SOURCE_FILE[fmt] else data)
        target = src if fmt == "brat" else src / SOURCE_FILE[fmt]
        _import_never_raises(fmt, target, work)


@pytest.mark.parametrize("fmt", list(SOURCE_FILE))
@BOUNDED
@given(data=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_importers_on_arbitrary_bytes_never_raise(fmt: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        src = work / "src"
        src.mkdir()
        (src / SOURCE_FILE[fmt]).write_bytes(data)
        if fmt == "brat":
            (src / "doc1.txt").write_bytes(data[: len(data) // 2])
        _import_never_raises(fmt, src if fmt == "brat" else src / SOURCE_FILE[fmt], work)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


@BOUNDED
@given(path=st.lists(st.integers(0, 6), min_size=1, max_size=6), value=_JSON)
def test_label_studio_with_any_json_value_anywhere_never_raises(seeds: dict[str, Path], path: list[int], value) -> None:
    tasks = json.loads((seeds["labelstudio"] / "tasks.json").read_text(encoding="utf-8"))
    node = tasks
    for step in path[:-1]:  # walk down to some container and replace one of its values
        children = list(node.values()) if isinstance(node, dict) else node
        if (
            not isinstance(children, list)
            or not children
            or not isinstance(children[step % len(children)], (dict, list))
        ):
            break
        node = children[step % len(children)]
    if isinstance(node, dict) and node:
        node[list(node)[path[-1] % len(node)]] = value
    elif isinstance(node, list) and node:
        node[path[-1] % len(node)] = value
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        src = work / "tasks.json"
        src.write_text(json.dumps(tasks, allow_nan=True), encoding="utf-8")
        _import_never_raises("labelstudio", src, work)


# ---------------------------------------------------------------------------------------- round trips

_PIECES = ["Amber", "Rudd", " ", " ", "😀", "𝔘𝔫𝔦", "e\u0301", "\r\n", "said", "“", "”", ".", "שלום", "\u200d", "x"]


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]], list[tuple[int, int]]]:
    """A text of astral, combining, RTL and CRLF pieces, entity spans and 1-2 quote fragments."""
    text = "Title 😀\r\n" + "".join(draw(st.lists(st.sampled_from(_PIECES), min_size=6, max_size=30))) + "\r\n"
    n = len(text)
    cuts = draw(st.lists(st.integers(9, n - 2), min_size=2, max_size=8, unique=True))
    cuts.sort()
    pairs = [(a, b) for a, b in zip(cuts[::2], cuts[1::2]) if text[a:b].strip() == text[a:b] and text[a:b]]
    return text, pairs[:-1] or pairs, pairs[-1:] if len(pairs) > 1 else []


def _write_document(root: Path, text: str, entities: list[tuple[int, int]], fragments: list[tuple[int, int]]) -> None:
    created = add_article(root, "doc", text.encode("utf-8"), outlet="Test")
    mentions = [
        EntityMention(id=f"e{k}", origin="manual", label="PERSON", start=s, end=e, text=text[s:e])
        for k, (s, e) in enumerate(entities, start=1)
    ]
    quotes = []
    if fragments:
        quotes.append(
            Quote(
                id="q1",
                origin="manual",
                kind="direct",
                fragments=[Span(start=s, end=e, text=text[s:e]) for s, e in fragments],
                speaker={"type": "mention", "mention_id": "e1"} if mentions else {"type": "unknown"},
            )
        )
    Corpus.at(root).write_annotations(created.model_copy(update={"entities": mentions, "quotes": quotes}))


@pytest.mark.parametrize("fmt", ["brat", "labelstudio", "doccano"])
@BOUNDED
@given(doc=documents())
def test_random_documents_survive_export_and_import(fmt: str, doc: tuple) -> None:
    text, entities, fragments = doc
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        src = work / "src"
        init_corpus(src, name="t", entity_labels=["PERSON"])
        _write_document(src, text, entities, fragments)
        assume(validate(src, cache=False).valid)
        export_corpus(fmt, work / "out", root=src)
        back = work / "back"
        init_corpus(back, name="t", entity_labels=["PERSON"])
        path = work / "out" if fmt != "doccano" else work / "out" / "corpus.jsonl"
        report = import_corpus(fmt, path, root=back)
        assert report.valid, report.to_text()
        assert signature(back) == signature(src)
        assert Corpus.at(back).raw_path("doc").read_bytes() == text.encode("utf-8")


@pytest.mark.parametrize("fmt", ["brat", "labelstudio"])
def test_every_layer_survives_export_and_import(fmt: str, tmp_path: Path) -> None:
    src = non_ascii_corpus(tmp_path)
    export_corpus(fmt, tmp_path / "out", root=src)
    back = tmp_path / "back"
    init_corpus(back, name="t", entity_labels=["PERSON"], stance_targets={"platform_action": "x"})
    assert import_corpus(fmt, tmp_path / "out", root=back).valid
    assert signature(back) == signature(src)
