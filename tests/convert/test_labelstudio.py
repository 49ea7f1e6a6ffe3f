"""Label Studio import/export: real exports in ../shared/interop/label_studio, UTF-16 offsets, round trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus_pkg.convert import export_corpus, import_corpus
from corpus_pkg.corpus import Corpus, CorpusError
from corpus_pkg.text.offsets import cp_to_utf16

from .helpers import NON_ASCII_TEXT, fresh_corpus, non_ascii_corpus, signature

MINI = Path(__file__).resolve().parents[1] / "data" / "mini"


def test_german_quotes_with_speaker_relations(interop: Path, tmp_path: Path) -> None:
    root = fresh_corpus(tmp_path)
    report = import_corpus("labelstudio", interop / "label_studio" / "christophalt_quotes_speakers_de.json", root=root)
    assert report.valid
    assert report.documents == ["christophalt_quotes_speakers_de-1405", "christophalt_quotes_speakers_de-1417"]
    assert report.counts == {"entities": 0, "quotes": 6, "numbers": 0, "stance": 0}
    assert [w.code for w in report.warnings] == ["multiple-annotations", "multiple-annotations"]
    corpus = Corpus.at(root)
    doc = corpus.read_document("christophalt_quotes_speakers_de-1405")
    quotes = doc.annotations.quotes
    # 2 quotes per annotator; region ids collide between annotators, so the second set is prefixed
    assert [q.id for q in quotes] == ["plXcBFMN4R", "Hv7C45Kq4-", "a39-plXcBFMN4R", "a39-Hv7C45Kq4-"]
    assert quotes[0].source == "labelstudio:task1405/annotation5/plXcBFMN4R"
    assert quotes[0].kind == "direct"  # from the DIRECT-QUOTE label
    assert quotes[0].fragments[0].text.startswith('"Jeder Einzelne')
    # "sie" is the speaker of two quotes
    assert {(q.speaker.type, q.speaker.text) for q in quotes} == {("nominal", "sie")}
    assert doc.text[quotes[1].speaker.start : quotes[1].speaker.end] == "sie"
    assert "Özlem Türeci" in doc.text[: quotes[0].fragments[0].start]
    # annotators' e-mail addresses are not copied into the corpus
    for path in (root / "annotations").iterdir():
        assert "@" not in path.read_text(encoding="utf-8")


def test_choices_classification_is_reported(interop: Path, tmp_path: Path) -> None:
    root = fresh_corpus(tmp_path)
    report = import_corpus(
        "labelstudio", interop / "label_studio" / "ls_converter_csv_test_history_choices.json", root=root
    )
    assert report.valid
    assert report.documents == ["ls_converter_csv_test_history_choices-6141"]
    (warning,) = report.warnings
    assert warning.code == "not-representable"
    assert '"Positive"' in warning.lines[0] and "sentiment" in warning.lines[0]
    assert Corpus.at(root).read_raw(report.documents[0]).startswith("Calif. wildfires signal")


def _task(text: str, start: int, end: int, surface: str, **extra) -> dict:
    region = {"id": "r1", "type": "labels", "from_name": "label", "to_name": "text"}
    region["value"] = {"start": start, "end": end, "text": surface, "labels": ["PERSON"]}
    return {"id": 7, "data": {"text": text}, "annotations": [{"id": 1, "result": [region]}], **extra}


def test_utf16_offsets_are_detected_and_converted(tmp_path: Path) -> None:
    text = NON_ASCII_TEXT
    start = text.index("Amber Rudd")
    u_start, u_end = cp_to_utf16(text, start), cp_to_utf16(text, start + 10)
    assert (u_start, u_end) == (start + 1, start + 11)  # the emoji before counts 2 in UTF-16
    path = tmp_path / "ls.json"
    path.write_text(json.dumps([_task(text, u_start, u_end, "Amber Rudd")]), encoding="utf-8")
    root = fresh_corpus(tmp_path)
    report = import_corpus("labelstudio", path, root=root)
    assert report.valid
    (mention,) = Corpus.at(root).read_annotations("ls-7").entities
    assert (mention.start, mention.end, mention.text) == (start, start + 10, "Amber Rudd")
    assert [w.code for w in report.warnings] == ["utf16-offsets"]


def test_mismatched_offsets_are_skipped_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "ls.json"
    path.write_text(json.dumps([_task("Hello Amber Rudd", 0, 5, "Amber")]), encoding="utf-8")
    root = fresh_corpus(tmp_path)
    report = import_corpus("labelstudio", path, root=root)
    assert report.valid
    assert Corpus.at(root).read_annotations("ls-7").entities == []
    (warning,) = report.warnings
    assert warning.code == "offset-mismatch" and "'Hello'" in warning.lines[0]


def test_predictions_become_suggestions(tmp_path: Path) -> None:
    task = _task("Amber Rudd spoke.", 0, 10, "Amber Rudd")
    task["predictions"] = [{"id": 3, "result": task.pop("annotations")[0]["result"]}]
    path = tmp_path / "ls.json"
    path.write_text(json.dumps([task]), encoding="utf-8")
    root = fresh_corpus(tmp_path)
    import_corpus("labelstudio", path, root=root)
    (mention,) = Corpus.at(root).read_annotations("ls-7").entities
    assert (mention.origin, mention.source) == ("suggestion", "labelstudio:task7/prediction3/r1")
    # and they go back to predictions on export
    export_corpus("labelstudio", tmp_path / "out", root=root)
    (exported,) = json.loads((tmp_path / "out" / "tasks.json").read_text(encoding="utf-8"))
    assert exported["annotations"] == []
    assert exported["predictions"][0]["result"][0]["value"]["labels"] == ["PERSON"]


@pytest.mark.parametrize("source", ["mini", "non_ascii"])
def test_round_trip_export_import_export(source: str, tmp_path: Path) -> None:
    src = MINI if source == "mini" else non_ascii_corpus(tmp_path)
    export_corpus("labelstudio", tmp_path / "ls1", root=src)
    back = fresh_corpus(tmp_path, "back")
    report = import_corpus("labelstudio", tmp_path / "ls1" / "tasks.json", root=back)
    assert report.valid
    assert signature(back) == signature(src)
    export_corpus("labelstudio", tmp_path / "ls2", root=back)
    first = json.loads((tmp_path / "ls1" / "tasks.json").read_text(encoding="utf-8"))
    second = json.loads((tmp_path / "ls2" / "tasks.json").read_text(encoding="utf-8"))
    assert first == second


def test_export_offsets_are_code_points_with_text(tmp_path: Path) -> None:
    src = non_ascii_corpus(tmp_path)
    export_corpus("labelstudio", tmp_path / "out", root=src)
    (task,) = json.loads((tmp_path / "out" / "tasks.json").read_text(encoding="utf-8"))
    regions = [r for r in task["annotations"][0]["result"] if r["type"] == "labels"]
    assert {r["value"]["labels"][0] for r in regions} == {
        "PERSON",
        "DIRECT-QUOTE",
        "CUE",
        "NUMBER",
        "HOLDER",
        "STANCE-EVIDENCE",
    }
    for r in regions:
        assert task["data"]["text"][r["value"]["start"] : r["value"]["end"]] == r["value"]["text"]
    rels = {
        (r["from_id"], r["to_id"], r["labels"][0]) for r in task["annotations"][0]["result"] if r["type"] == "relation"
    }
    assert ("q1", "e1", "speaker") in rels and ("q1", "q1-f2", "continues") in rels
    assert ("s2", "q1", "evidence") in rels


def test_cli_import_reports_json(cli, tmp_path: Path, interop: Path) -> None:
    root = fresh_corpus(tmp_path)
    path = interop / "label_studio" / "christophalt_quotes_speakers_de.json"
    result = cli("import", "labelstudio", str(path), "--root", str(root), "--format", "json", "--language", "de")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["counts"]["quotes"] == 6 and report["valid"] is True and report["applied"] is True
    assert Corpus.at(root).read_annotations(report["documents"][0]).meta.language == "de"
    # --output is the deprecated spelling of --format: still accepted, with a warning
    again = cli("import", "labelstudio", str(path), "--root", str(root), "--output", "json")
    assert again.returncode == 1 and "--output is deprecated" in again.stderr
    assert {i["code"] for i in json.loads(again.stdout)["issues"] if i["severity"] == "error"} == {"document-exists"}


def test_empty_or_unstorable_text_stops_the_import_before_writing(tmp_path: Path) -> None:
    path = tmp_path / "ls.json"
    good = {"id": 1, "data": {"text": "Fine text."}, "annotations": []}
    bad = {"id": 2, "data": {"text": "broken \ud83d surrogate"}, "annotations": []}
    path.write_text(json.dumps([good, bad]), encoding="utf-8")
    root = fresh_corpus(tmp_path)
    with pytest.raises(CorpusError, match="lone surrogate"):
        import_corpus("labelstudio", path, root=root)
    assert list((root / "raw").iterdir()) == []
    path.write_text(json.dumps([{"id": 3, "data": {"text": 5}}]), encoding="utf-8")
    with pytest.raises(CorpusError, match=r"\[0\]\.data\.text: expected"):
        import_corpus("labelstudio", path, root=root)
