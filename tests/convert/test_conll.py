"""CoNLL import (synthetic text from tokens) and export (IOB2) on the real files in ../shared/interop/conll."""

from __future__ import annotations

from pathlib import Path

import datasets
import pytest

from corpus_pkg.convert import export_corpus, import_corpus
from corpus_pkg.corpus import Corpus, CorpusError
from corpus_pkg.release.build import build

from .helpers import fresh_corpus, non_ascii_corpus, signature

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests" / "data" / "mini"
LATIN1 = "conll2002_esp.train.head282.latin1.conll"


def _mentions(root: Path, doc_id: str) -> list[tuple[str, str]]:
    return [(e.text, e.label) for e in Corpus.at(root).read_annotations(doc_id).entities]


def test_spacy_conll2003_layout(interop: Path, tmp_path: Path) -> None:
    root = fresh_corpus(tmp_path)
    report = import_corpus("conll", interop / "conll" / "spacy_ner-token-per-line-conll2003.iob", root=root)
    assert report.valid
    (doc_id,) = report.documents
    assert _mentions(root, doc_id) == [
        ("Sebastian Thrun", "PERSON"),
        ("Google", "ORG"),
        ("2007", "DATE"),
        ("American", "NORP"),
        ("Thrun", "PERSON"),
        ("Recode", "ORG"),
        ("earlier this week", "DATE"),
    ]
    text = Corpus.at(root).read_raw(doc_id)
    assert text.count("\n") == 2  # two sentences, one per line
    assert "“" in text and "n’t" in text  # 4th column is the tag, the 1st the token


def test_latin1_file_needs_encoding(interop: Path, tmp_path: Path, cli) -> None:
    path = interop / "conll" / LATIN1
    root = fresh_corpus(tmp_path)
    with pytest.raises(CorpusError, match="pass --encoding"):
        import_corpus("conll", path, root=root)
    result = cli("import", "conll", str(path), "--root", str(root))
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ") and "--encoding latin-1" in result.stderr
    assert "Traceback" not in result.stderr and "UnicodeDecodeError" not in result.stderr
    assert list((root / "raw").iterdir()) == []
    result = cli("import", "conll", str(path), "--root", str(root), "--encoding", "latin-1")
    assert result.returncode == 0, result.stderr
    assert "21 entities" in result.stdout and "warning[reencoded]" in result.stdout
    doc_id = "conll2002_esp-train-head282-latin1"
    mentions = _mentions(root, doc_id)
    assert ("Tribunal Supremo", "ORG") in mentions
    assert ("Abogado General del Estado", "PER") in mentions
    raw = Corpus.at(root).raw_path(doc_id).read_bytes()
    assert "subrayó".encode() in raw  # stored as UTF-8


def test_dutch_docstart_without_blank_line(interop: Path, tmp_path: Path) -> None:
    root = fresh_corpus(tmp_path)
    report = import_corpus("conll", interop / "conll" / "conll2002_ned.testb.lines369-567.conll", root=root)
    assert report.valid
    stem = "conll2002_ned-testb-lines369-567"
    assert report.documents == [f"{stem}-1", f"{stem}-2"]
    assert report.counts["entities"] == 16
    assert _mentions(root, f"{stem}-1")[0] == ("Van Roost", "PER")  # the line right after -DOCSTART-
    assert _mentions(root, f"{stem}-2") == []
    assert Corpus.at(root).read_raw(f"{stem}-2").startswith("pagina\nhardere acties voorzien\n")


def test_doccano_trailing_newlines_and_tabs(interop: Path, tmp_path: Path) -> None:
    root = fresh_corpus(tmp_path)
    report = import_corpus("conll", interop / "conll" / "doccano_labeling.trailing.conll", root=root)
    assert report.valid and report.documents == ["doccano_labeling-trailing"]
    assert _mentions(root, "doccano_labeling-trailing") == [("JAPAN", "LOC"), ("CHINA", "PER")]
    assert Corpus.at(root).read_raw("doccano_labeling-trailing") == (
        "SOCCER - JAPAN GET LUCKY WIN , CHINA IN SURPRISE DEFEAT .\n"
    )


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "t.conll"
    path.write_text(body, encoding="utf-8")
    return path


def test_iob1_and_iob2_decoding(tmp_path: Path) -> None:
    path = _write(tmp_path, "Ann I-PER\nBob B-PER\nsaw O\nNew I-LOC\nYork I-LOC\n")
    root = fresh_corpus(tmp_path)
    report = import_corpus("conll", path, root=root)
    assert _mentions(root, "t") == [("Ann", "PER"), ("Bob", "PER"), ("New York", "LOC")]
    assert report.warnings == []
    root2 = fresh_corpus(tmp_path, "c2")
    report = import_corpus("conll", path, root=root2, scheme="iob2")
    (warning,) = report.warnings
    assert warning.code == "iob-repair" and warning.lines == ["line 1: Ann I-PER", "line 4: New I-LOC"]


def test_tag_column_and_column_errors(tmp_path: Path) -> None:
    path = _write(tmp_path, "Ann B-PER NNP\nsaw O VB\n")
    root = fresh_corpus(tmp_path)
    import_corpus("conll", path, root=root, tag_column=1)
    assert _mentions(root, "t") == [("Ann", "PER")]
    bad = _write(tmp_path, "Ann NNP B-PER\nsaw O\n")
    with pytest.raises(CorpusError, match="line 2: 2 columns where earlier lines have 3"):
        import_corpus("conll", bad, root=fresh_corpus(tmp_path, "c2"))
    bad = _write(tmp_path, "Ann X-PER\n")
    with pytest.raises(CorpusError, match="line 1: tag 'X-PER'"):
        import_corpus("conll", bad, root=fresh_corpus(tmp_path, "c3"))


def _conll_sentences(path: Path) -> list[list[tuple[str, str]]]:
    """Sentences of a CoNLL export (``-DOCSTART-`` blocks dropped), each a list of (token, tag)."""
    out: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line:
            if current:
                out.append(current)
            current = []
        elif not line.startswith("-DOCSTART-"):
            token, tag = line.split(" ")
            current.append((token, tag))
    return out


@pytest.mark.parametrize("root", [REPO, MINI], ids=["repo", "mini"])
def test_export_gives_the_tokens_and_tags_of_the_ner_config(root: Path, tmp_path: Path) -> None:
    release = build(root, tmp_path / "release", cache=False).out
    ner = [row for split in ("train", "validation", "test") for row in _rows(release, split, tmp_path / "hf")]
    export_corpus("conll", tmp_path / "conll", root=root)
    (conll_file,) = (tmp_path / "conll").glob("*.conll")
    sentences = _conll_sentences(conll_file)
    order = Corpus.at(root).doc_ids()
    ner.sort(key=lambda r: (order.index(r["doc_id"]), r["paragraph"]))
    assert len(ner) == len(sentences) > 0
    names = None
    for row, sentence in zip(ner, sentences):
        names = names or row["_names"]
        assert [t for t, _ in sentence] == row["tokens"], row["doc_id"]
        assert [tag for _, tag in sentence] == [names[i] for i in row["ner_tags"]], row["doc_id"]
    assert any(tag != "O" for s in sentences for _, tag in s)


def _rows(release: Path, split: str, cache: Path) -> list[dict]:
    """Rows of the ``ner`` config's ``split``, read with ``datasets.load_dataset`` (none if the split is empty)."""
    if not list((release / "data" / "ner").glob(f"{split}-*")):
        return []
    ds = datasets.load_dataset(str(release), "ner", split=split, cache_dir=str(cache))
    names = ds.features["ner_tags"].feature.names
    return [{**row, "_names": names} for row in ds]


def test_export_iob2_and_reimport(tmp_path: Path) -> None:
    src = non_ascii_corpus(tmp_path)
    report = export_corpus("conll", tmp_path / "out", root=src)
    assert any(w.code == "not-exported" for w in report.warnings)
    lines = (tmp_path / "out" / "test.conll").read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["-DOCSTART- O", ""]
    assert "Amber B-PERSON" in lines and "Rudd I-PERSON" in lines
    assert "😀 O" in lines
    back = fresh_corpus(tmp_path, "back")
    assert import_corpus("conll", tmp_path / "out" / "test.conll", root=back).valid
    (doc,) = signature(back).values()
    assert doc["entities"] and Corpus.at(back).iter_documents().__next__().annotations.entities[0].text == "Amber Rudd"


def test_export_mini_tags(tmp_path: Path, cli) -> None:
    result = cli("export", "conll", "--out", str(tmp_path / "out"), "--root", str(MINI))
    assert result.returncode == 0, result.stderr
    lines = (tmp_path / "out" / "mini.conll").read_text(encoding="utf-8").splitlines()
    tagged = [ln for ln in lines if not ln.endswith(" O") and ln and not ln.startswith("-DOCSTART-")]
    assert tagged == ["Amber B-PERSON", "Rudd I-PERSON", "ISIS B-ORG"]
    assert "warning[not-exported]" in result.stdout
