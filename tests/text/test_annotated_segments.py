"""One constant says which segments are annotated (GUIDELINES.md: title and body); the checks, the
number suggestions and the NER view all follow it, so subtitles never become all-O NER rows."""

from __future__ import annotations

import json

from corpus_pkg import validate
from corpus_pkg.corpus import Corpus
from corpus_pkg.schema import ANNOTATED_SEGMENTS
from corpus_pkg.text.tokenize import paragraphs
from tests.conftest import REPO


def test_guidelines_and_constant_agree() -> None:
    assert ANNOTATED_SEGMENTS == ("title", "body")
    guidelines = (REPO / "annotations" / "GUIDELINES.md").read_text(encoding="utf-8")
    assert "Only text in `title` and `body` segments is annotated" in guidelines
    assert "Subtitles,\n  bylines, captions and boilerplate are segmented but never annotated." in guidelines


def test_ner_view_leaves_out_subtitles_of_the_seed_articles() -> None:
    corpus = Corpus.at(REPO)
    doc = corpus.read_document("003_f6e5eba5a8642ff2")
    subtitle = next(s for s in doc.annotations.segments if s.kind == "subtitle")
    assert "Amber Rudd" in subtitle.text  # a name the guidelines leave unannotated there
    paras = list(paragraphs(doc.text, doc.annotations))
    assert {p.segment_kind for p in paras} == {"title", "body"}
    assert not any(p.start < subtitle.end and subtitle.start < p.end for p in paras)


def test_a_mention_in_a_subtitle_is_reported(tmp_path) -> None:
    import shutil

    shutil.copytree(REPO / "raw", tmp_path / "raw")
    shutil.copytree(REPO / "annotations", tmp_path / "annotations")
    for name in ("corpus.json", "entities.json"):
        shutil.copyfile(REPO / name, tmp_path / name)
    path = tmp_path / "annotations" / "003_f6e5eba5a8642ff2.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    subtitle = next(s for s in data["segments"] if s["kind"] == "subtitle")
    start = subtitle["start"] + subtitle["text"].index("Amber Rudd")
    mention = {"id": "e999", "origin": "manual", "start": start, "end": start + 10, "text": "Amber Rudd"}
    data["entities"].append({**mention, "label": "PERSON", "entity_id": "amber_rudd"})
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    report = validate(tmp_path, cache=False)
    assert [(w.code, w.annotation_id) for w in report.warnings] == [("span-outside-body", "e999")]
