"""doccano JSONL import/export on the real files in ../shared/interop/doccano."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus_pkg.convert import export_corpus, import_corpus
from corpus_pkg.corpus import Corpus, CorpusError

from .helpers import fresh_corpus, signature

MINI = Path(__file__).resolve().parents[1] / "data" / "mini"


def import_records(tmp_path: Path, *records: dict):
    """Write ``records`` as a doccano JSONL file, import it into a fresh corpus; the report and the documents."""
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    root = fresh_corpus(tmp_path)
    report = import_corpus("doccano", path, root=root)
    return report, list(Corpus.at(root).iter_documents())


def test_sequence_labeling_example(interop: Path, tmp_path: Path) -> None:
    root = fresh_corpus(tmp_path)
    report = import_corpus("doccano", interop / "doccano" / "doccano_export_example_sequence_labeling.jsonl", root=root)
    assert report.valid and len(report.documents) == 3
    corpus = Corpus.at(root)
    texts = [[(e.text, e.label) for e in corpus.read_annotations(d).entities] for d in report.documents]
    assert texts == [[("EU", "ORG"), ("German", "MISC")], [("Peter Blackburn", "PERSON")], [("Obama", "PERSON")]]
    assert report.adopted_labels == ["ORG", "MISC", "PERSON"]


def test_relation_extraction_format_reports_relations(interop: Path, tmp_path: Path) -> None:
    root = fresh_corpus(tmp_path)
    report = import_corpus("doccano", interop / "doccano" / "doccano_relation_extraction_example.jsonl", root=root)
    assert report.valid
    (doc_id,) = report.documents
    ents = Corpus.at(root).read_annotations(doc_id).entities
    assert [(e.id, e.text) for e in ents] == [
        ("e0", "Google"),
        ("e1", "September 4, 1998"),
        ("e2", "Larry Page"),
        ("e3", "Sergey Brin"),
    ]
    (warning,) = report.warnings
    assert warning.code == "not-representable" and len(warning.lines) == 3
    assert "foundedBy" in warning.lines[1]


def test_setswana_export_keeps_all_454_records(interop: Path, tmp_path: Path) -> None:
    root = fresh_corpus(tmp_path)
    report = import_corpus("doccano", interop / "doccano" / "bsner_bw_setswana_admin.jsonl", root=root)
    assert report.valid
    assert len(report.documents) == 454
    assert report.counts["entities"] == 444
    assert set(report.adopted_labels) == {"PERSON", "ORG", "LOC", "DATE", "TIME", "MONEY", "MISC"}
    corpus = Corpus.at(root)
    first = corpus.read_annotations("bsner_bw_setswana_admin-5117").entities
    # sloppy selections are kept as they are (validate warns span-whitespace), never moved silently
    assert first[0].text == " kgotla ya Magapatona"
    empty = [d for d in report.documents if not corpus.read_annotations(d).entities]
    assert len(empty) == 223


def test_italian_label_with_spaces_needs_a_label_map(interop: Path, tmp_path: Path) -> None:
    path = interop / "doccano" / "italian_newspapers_sexism_all.jsonl"
    root = fresh_corpus(tmp_path)
    with pytest.raises(CorpusError, match="--label-map") as err:
        import_corpus("doccano", path, root=root)
    assert "'Masculine of Professions (and grammatical mismatch)'" in str(err.value)
    assert list((root / "raw").iterdir()) == []
    report = import_corpus(
        "doccano",
        path,
        root=root,
        label_map={"Masculine of Professions (and grammatical mismatch)": "MASCULINE_PROFESSION"},
        language="it",
    )
    assert report.valid
    (doc_id,) = report.documents
    doc = Corpus.at(root).read_document(doc_id)
    (mention,) = doc.annotations.entities
    assert (mention.start, mention.end, mention.text, mention.label) == (
        2367,
        2378,
        "Il ministro",
        "MASCULINE_PROFESSION",
    )
    assert doc.text.count("\n") == 18
    assert doc.annotations.meta.url.startswith("http")


def test_export_round_trip_keeps_entities_and_quotes_and_reports_the_rest(tmp_path: Path) -> None:
    report = export_corpus("doccano", tmp_path / "out", root=MINI)
    assert any(w.code == "not-exported" and "1 numbers, 1 stance" in w.message for w in report.warnings)
    (record,) = [json.loads(line) for line in (tmp_path / "out" / "corpus.jsonl").read_text().splitlines()]
    assert record["entities"][0] == {"id": 1, "start_offset": 31, "end_offset": 41, "label": "PERSON"}
    assert {r["type"] for r in record["relations"]} == {"cue", "speaker"}
    back = fresh_corpus(tmp_path, "back")
    imported = import_corpus("doccano", tmp_path / "out" / "corpus.jsonl", root=back)
    assert imported.valid and not [w for w in imported.warnings if w.code == "not-representable"]
    for layer in ("entities", "quotes"):
        assert signature(back)["doc1"][layer] == signature(MINI)["doc1"][layer], layer


def test_quotes_of_the_gold_corpus_survive_a_doccano_round_trip(tmp_path: Path) -> None:
    """Discontinuous quotes (``continues``), cues, mention and nominal speakers, on non-ASCII text."""
    repo = MINI.parents[2]
    export_corpus("doccano", tmp_path / "out", root=repo)
    back = fresh_corpus(tmp_path, "back")
    assert import_corpus("doccano", tmp_path / "out" / "corpus.jsonl", root=back).valid
    before, after = signature(repo), signature(back)
    quotes = [q for doc in before.values() for q in doc["quotes"]]
    assert any(len(q[0]) > 1 for q in quotes) and any(q[3][0] == "nominal" for q in quotes)
    for doc_id in before:
        assert after[doc_id]["quotes"] == before[doc_id]["quotes"], doc_id
        assert after[doc_id]["entities"] == before[doc_id]["entities"], doc_id


def test_quote_relations_in_a_hand_written_file(tmp_path: Path) -> None:
    text = "“We act,” she said, “now.” Police said so."
    record = {
        "text": text,
        "entities": [
            {"id": 1, "start_offset": 0, "end_offset": 9, "label": "QUOTE"},
            {"id": 2, "start_offset": 20, "end_offset": 26, "label": "QUOTE"},
            {"id": 3, "start_offset": 14, "end_offset": 18, "label": "CUE"},
            {"id": 4, "start_offset": 27, "end_offset": 33, "label": "ORG"},
            {"id": 5, "start_offset": 10, "end_offset": 13, "label": "SPEAKER"},
        ],
        "relations": [
            {"from_id": 1, "to_id": 2, "type": "continues"},
            {"from_id": 1, "to_id": 3, "type": "cue"},
            {"from_id": 1, "to_id": 5, "type": "speaker"},
            {"from_id": 4, "to_id": 3, "type": "worksFor"},
        ],
    }
    report, (doc,) = import_records(tmp_path, record)
    assert report.valid
    (quote,) = doc.annotations.quotes
    assert [f.text for f in quote.fragments] == ["“We act,”", "“now.”"]
    assert (quote.kind, quote.cue.text, quote.speaker.type, quote.speaker.text) == ("direct", "said", "nominal", "she")
    assert [e.text for e in doc.annotations.entities] == ["Police"]
    (lost,) = [w for w in report.warnings if w.code == "not-representable"]
    assert "worksFor" in " ".join(lost.lines)


def test_bad_line_is_a_clear_error(tmp_path: Path, cli) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "ok", "label": []}\n{"text": \n', encoding="utf-8")
    root = fresh_corpus(tmp_path)
    result = cli("import", "doccano", str(path), "--root", str(root))
    assert result.returncode == 1
    assert result.stderr.startswith("Error: import refused, nothing was written: bad.jsonl:2:10: invalid JSON")
    assert list((root / "raw").iterdir()) == []


def test_malformed_quote_relations_are_reported_never_dropped_silently(tmp_path: Path) -> None:
    text = "“One.” “Two.” “Three.” Police said."
    spans = [(1, 0, 6, "QUOTE"), (2, 7, 13, "QUOTE"), (3, 14, 22, "QUOTE"), (4, 23, 29, "ORG"), (5, 30, 34, "CUE")]
    record = {
        "text": text,
        "entities": [{"id": i, "start_offset": s, "end_offset": e, "label": lab} for i, s, e, lab in spans],
        "relations": [
            {"from_id": 1, "to_id": 2, "type": "continues"},
            {"from_id": 2, "to_id": 1, "type": "continues"},  # a cycle: 1 and 2 lead to each other
            {"from_id": 3, "to_id": 3, "type": "continues"},  # a loop
            {"from_id": 3, "to_id": 4, "type": "cue"},  # a cue that is an entity
            {"from_id": 4, "to_id": 3, "type": "speaker"},  # from an entity
        ],
    }
    report, (doc,) = import_records(tmp_path, record)
    assert report.valid
    assert [[f.text for f in q.fragments] for q in doc.annotations.quotes] == [["“Three.”"]]
    (lost,) = [w for w in report.warnings if w.code == "not-representable"]
    lines = " ".join(lost.lines)
    for expected in ('"to_id": 3, "type": "continues"', '"type": "cue"', '"type": "speaker"'):
        assert expected in lines
    for ident in (1, 2, 5):
        assert f"span id={ident} " in lines  # the cycle's spans and the unused cue are named


def test_hostile_ids_and_relations_are_reported_not_crashed_on(tmp_path: Path, cli) -> None:
    text = "“One.” “Two.” Police said."
    entities = [
        {"id": [1], "start_offset": 0, "end_offset": 6, "label": "QUOTE"},  # unhashable id
        {"id": True, "start_offset": 0, "end_offset": 6, "label": "QUOTE"},  # a bool is not an id
        {"start_offset": 7, "end_offset": 13, "label": "QUOTE"},  # a quote span without id
        {"id": 7, "start_offset": 0, "end_offset": 6, "label": "QUOTE"},
        {"id": 7, "start_offset": 14, "end_offset": 20, "label": "ORG"},  # the id again
        {"id": 8, "start_offset": 7, "end_offset": 13, "label": "QUOTE"},
        {"id": 9, "start_offset": 21, "end_offset": 25, "label": "CUE"},
        "not an object",
    ]
    relations = [
        {"from_id": [7], "to_id": 8, "type": "continues"},
        {"from_id": 7, "to_id": 8, "type": "continues"},
        {"from_id": 8, "to_id": 9, "type": "cue"},  # from the second fragment: still the quote's cue
    ]
    report, (doc,) = import_records(tmp_path, {"text": text, "entities": entities, "relations": relations})
    assert report.valid
    (quote,) = doc.annotations.quotes
    assert ([f.text for f in quote.fragments], quote.cue.text) == (["“One.”", "“Two.”"], "said")
    assert doc.annotations.entities == []  # the ORG span reused id 7: skipped, and said so
    skipped = " ".join(w.message + " " + " ".join(w.lines) for w in report.warnings)
    for expected in ("must be a number or a string", "needs an id", "used by an earlier span", "not an object"):
        assert expected in skipped, expected

    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": text, "relations": 5}) + "\n", encoding="utf-8")
    result = cli("import", "doccano", str(bad), "--root", str(fresh_corpus(tmp_path, "other")))
    assert result.returncode == 1 and "'relations' must be a list, got int" in result.stderr
    assert "Traceback" not in result.stderr


def test_export_warns_about_what_doccano_cannot_keep(tmp_path: Path) -> None:
    root = tmp_path / "c"
    import shutil

    shutil.copytree(MINI, root)
    data = json.loads((root / "annotations" / "doc1.json").read_text(encoding="utf-8"))
    data["entities"][1]["origin"] = "suggestion"
    (root / "annotations" / "doc1.json").write_text(json.dumps(data), encoding="utf-8")
    report = export_corpus("doccano", tmp_path / "out", root=root)
    messages = [w.message for w in report.warnings]
    assert any("1 suggestion(s) exported as plain spans" in m and "e2" in m for m in messages)
