"""Correctness cases found in review: overlapping segments, split prefixes, widened spans, huge numbers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from corpus_pkg.annotate.articles import add_article, init_corpus
from corpus_pkg.annotate.reanchor import reanchor
from corpus_pkg.convert import import_corpus
from corpus_pkg.corpus import Corpus, CorpusError
from corpus_pkg.load import load_documents
from corpus_pkg.schema import Segment
from corpus_pkg.tables.rows import RowContext, document_rows
from corpus_pkg.text.numbers import NumberParseError, parse_number, scan_numbers

from ..annotate.conftest import make_corpus


def test_overlapping_title_and_body_give_each_token_once(tmp_path: Path) -> None:
    root = tmp_path / "c"
    init_corpus(root)
    text = "Amber Rudd visits Google\n\nThe Home Secretary met Google.\n"
    add_article(root, "d1", text.encode("utf-8"))  # one body segment over the whole text
    corpus = Corpus.at(root)
    ann = corpus.read_annotations("d1")
    title_end = text.index("\n")
    ann.segments.insert(0, Segment(kind="title", start=0, end=title_end, text=text[:title_end]))
    corpus.write_annotations(ann)
    rows = document_rows(corpus.read_document("d1"), RowContext(entity_names={}))
    tokens = [tok for row in rows["ner"] for tok in row["tokens"]]
    assert tokens.count("Amber") == 1 and tokens.count("Google") == 2


def test_split_name_that_prefixes_another_is_not_mixed_in(tmp_path: Path) -> None:
    root = tmp_path / "c"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "mini", root)
    add_article(root, "doc2", b"Second article about Twitter.\n", outlet="X")
    config = json.loads((root / "corpus.json").read_text(encoding="utf-8"))
    config["splits"] = {"test": ["doc1"], "test-ood": ["doc2"]}
    (root / "corpus.json").write_text(json.dumps(config), encoding="utf-8")
    assert [d.doc_id for d in load_documents(split="test", root=root)] == ["doc1"]
    assert [d.doc_id for d in load_documents(split="test-ood", root=root)] == ["doc2"]


def test_reanchor_does_not_place_a_span_inside_a_longer_word(tmp_path: Path) -> None:
    root = make_corpus(tmp_path)
    corpus = Corpus.at(root)
    raw = corpus.read_raw("rudd")
    assert "Amber Rudd" in raw
    from corpus_pkg.annotate.add import add_entity

    add_entity(root, "rudd", "Amber Rudd", "PERSON", occurrence=1)
    before = corpus.annotation_path("rudd").read_bytes()
    corpus.raw_path("rudd").write_text(raw.replace("Amber Rudd", "Amber Ruddock"), encoding="utf-8")
    result = reanchor(root, "rudd")
    assert any(p.text == "Amber Rudd" for p in result.unplaced)
    assert corpus.annotation_path("rudd").read_bytes() == before


def test_discontinuous_brat_speaker_widening_is_reported(tmp_path: Path) -> None:
    src = tmp_path / "brat"
    src.mkdir()
    text = "Ann said she would act. We will act, she said.\n"
    (src / "d.txt").write_text(text, encoding="utf-8")
    content_start = text.index("We will act")
    (src / "d.ann").write_text(
        f"T1\tSource 0 3;9 12\tAnn she\n"
        f"T2\tContent {content_start} {content_start + 11}\tWe will act\n"
        f"T3\tCue {text.rindex('said')} {text.rindex('said') + 4}\tsaid\n"
        f"T4\tAttribution {text.rindex('said')} {text.rindex('said') + 4}\tsaid\n"
        "E1\tAttribution:T4 Content:T2 Cue:T3 Source:T1\n",
        encoding="utf-8",
    )
    root = tmp_path / "c"
    init_corpus(root, entity_labels=[])
    report = import_corpus("brat", src, root=root)
    lines = [line for w in report.warnings for line in w.lines]
    assert any(line.startswith("T1\t") and "widened" in line for line in lines), lines


def test_label_studio_region_past_the_end_is_not_imported(tmp_path: Path) -> None:
    tasks = [
        {
            "id": 1,
            "data": {"text": "Ann went home"},
            "annotations": [
                {
                    "result": [
                        {
                            "id": "r1",
                            "type": "labels",
                            "from_name": "label",
                            "to_name": "text",
                            "value": {"start": 9, "end": 20, "text": "home", "labels": ["LOC"]},
                        }
                    ]
                }
            ],
        }
    ]
    path = tmp_path / "tasks.json"
    path.write_text(json.dumps(tasks), encoding="utf-8")
    root = tmp_path / "c"
    init_corpus(root, entity_labels=[])
    import_corpus("labelstudio", path, root=root)
    corpus = Corpus.at(root)
    assert all(not corpus.read_annotations(d).entities for d in corpus.doc_ids())


def test_failed_import_leaves_corpus_json_untouched(tmp_path: Path, interop: Path) -> None:
    root = tmp_path / "c"
    init_corpus(root, entity_labels=[])
    before = (root / "corpus.json").read_bytes()
    with pytest.raises(CorpusError, match="BCP 47"):
        import_corpus("brat", interop / "brat" / "conll2002_esp", root=root, language="EN_us")
    assert (root / "corpus.json").read_bytes() == before
    assert list((root / "annotations").iterdir()) == []


def test_number_too_large_is_not_a_value() -> None:
    with pytest.raises(NumberParseError):
        parse_number("9" * 400)
    assert [m.text for m in scan_numbers("We saw " + "9" * 400 + " and 12 posts")] == ["12"]
