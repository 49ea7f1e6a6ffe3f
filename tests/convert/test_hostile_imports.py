"""Hostile and broken sources: every problem is an issue with a location, the report is always
printed, nothing half-written, and what is written validates."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from corpus_pkg.convert import ImportRefused, OptionError, export_corpus, import_corpus
from corpus_pkg.corpus import Corpus
from corpus_pkg.schema import AnnotationFile
from corpus_pkg.validate import validate

from .helpers import fresh_corpus, non_ascii_corpus

MINI = Path(__file__).resolve().parents[1] / "data" / "mini"


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and ".corpus_cache" not in p.parts)


def _ls(tmp_path: Path, tasks: object, raw: str | None = None) -> Path:
    path = tmp_path / "ls.json"
    path.write_text(raw if raw is not None else json.dumps(tasks), encoding="utf-8")
    return path


def _refused(fmt: str, src: Path, root: Path) -> ImportRefused:
    before = _files(root)
    with pytest.raises(ImportRefused) as err:
        import_corpus(fmt, src, root=root)
    assert _files(root) == before, "a refused import wrote something"
    return err.value


def test_label_studio_annotations_not_a_list_is_an_issue_with_its_place(tmp_path: Path, cli) -> None:
    src = _ls(tmp_path, [{"data": {"text": "Hello world"}, "annotations": 5}])
    root = fresh_corpus(tmp_path)
    (issue,) = _refused("labelstudio", src, root).report.errors
    assert issue.code == "unreadable-source" and issue.file == "ls.json"
    assert issue.json_path == "[0].annotations" and issue.line == 1 and issue.column is not None
    assert "'annotations' must be a list, got int" in issue.message
    result = cli("import", "labelstudio", str(src), "--root", str(root))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "error[unreadable-source]" in result.stdout and "nothing was written" in result.stdout
    assert result.stderr.startswith("Error: import refused")


@pytest.mark.parametrize(
    "result",
    [
        {"type": "choices", "from_name": "stance", "value": {"choices": [1]}},
        {"type": "choices", "value": [1]},
        {"type": "labels", "id": "x", "value": {"start": 1e999, "end": 5, "text": "Hello", "labels": ["PER"]}},
        {
            "type": "labels",
            "id": "n",
            "value": {"start": 0, "end": 5, "text": "Hello", "labels": ["NUMBER"]},
            "meta": {"text": ["value=1e999"]},
        },  # noqa: E501
        {"type": "labels", "id": "y", "value": {"start": 0, "end": 5, "text": "Hello", "labels": [7]}},
        {"type": "relation", "from_id": [1], "to_id": {"a": 1}, "labels": "speaker"},
    ],
    ids=["choices-int", "value-list", "start-inf", "number-inf", "label-int", "relation-junk"],
)
def test_label_studio_odd_values_are_reported_and_the_rest_imported(tmp_path: Path, result: dict, cli) -> None:
    text = json.dumps([{"data": {"text": "Hello world"}, "annotations": [{"result": [result]}]}])
    src = _ls(tmp_path, None, raw=text.replace("1e+999", "1e999").replace("Infinity", "1e999"))
    root = fresh_corpus(tmp_path)
    run = cli("import", "labelstudio", str(src), "--root", str(root), "--format", "json")
    assert "Traceback" not in run.stderr and "validation error" not in run.stdout + run.stderr
    report = json.loads(run.stdout)
    corpus_level = {"invalid-label-name", "undeclared-label", "stance-target-adopted"}
    assert report["issues"] and all(i["file"] == "ls.json" for i in report["issues"] if i["code"] not in corpus_level)
    if report["applied"]:
        assert run.returncode == 0 and validate(root, cache=False).valid


def test_label_studio_lone_surrogate_writes_nothing(tmp_path: Path) -> None:
    region = '{"id": "r1", "type": "labels", "value": {"start": 0, "end": 5, "text": "Hello", "labels": ["P\\ud800"]}}'
    src = _ls(tmp_path, None, raw='[{"data": {"text": "Hello world"}, "annotations": [{"result": [' + region + "]}]}]")
    root = fresh_corpus(tmp_path)
    codes = {i.code for i in _refused("labelstudio", src, root).report.errors}
    assert "invalid-text" in codes
    src = _ls(tmp_path, None, raw='[{"data": {"text": "Hello \\ud800 world"}}]')
    (issue,) = _refused("labelstudio", src, root).report.errors
    assert issue.code == "invalid-text" and "lone surrogate" in issue.message
    assert (issue.file, issue.line, issue.column) == ("ls.json", 1, 27)


def test_label_studio_holder_entity_missing_from_the_registry_is_dropped(tmp_path: Path) -> None:
    results = [
        {"id": "s1", "type": "choices", "from_name": "stance", "value": {"choices": ["t:favor"]}},
        {"id": "e", "type": "labels", "value": {"start": 6, "end": 11, "text": "world", "labels": ["STANCE-EVIDENCE"]}},
        {"type": "relation", "from_id": "s1", "to_id": "e", "labels": ["evidence"]},
    ]
    results[0]["meta"] = {"text": ["holder_entity=nobody"]}
    src = _ls(tmp_path, [{"data": {"text": "Hello world"}, "annotations": [{"result": results}]}])
    root = fresh_corpus(tmp_path, targets={"t": "T"})
    report = import_corpus("labelstudio", src, root=root)
    assert report.valid and validate(root, cache=False).valid
    (dropped,) = [w for w in report.warnings if w.code == "reference-dropped"]
    assert "holder entity 'nobody' is not in entities.json" in dropped.lines[0]
    assert Corpus.at(root).read_annotations(report.documents[0]).stance == []


def test_brat_bad_ids_and_discontinuous_speakers_never_break_the_corpus(tmp_path: Path) -> None:
    src = tmp_path / "brat"
    src.mkdir()
    (src / "x.txt").write_text("Obama said hello there.\n", encoding="utf-8")
    (src / "x.ann").write_text(
        "T1.5\tPER 0 5\tObama\nT2\tPER 0 2;3 5\tOb ma\nT3\tQuote 11 22\thello there\nE1\tQuote:T3 Speaker:T2\n"
        "T4\tQuote 0 5\tObama\nE2\tQuote:T4 Speaker:T9\n",
        encoding="utf-8",
    )
    root = fresh_corpus(tmp_path)
    report = import_corpus("brat", src, root=root)
    assert report.valid and validate(root, cache=False).valid
    by_code = {w.code: w for w in report.warnings}
    assert by_code["malformed-item"].line == 1 and by_code["malformed-item"].file == "x.ann"
    assert "T1.5" in by_code["malformed-item"].lines[0]
    assert by_code["reference-dropped"].line == 2
    quotes = Corpus.at(root).read_annotations("x").quotes
    assert [q.speaker.type for q in quotes] == ["unknown", "unknown"]


def test_brat_text_symlink_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET\n", encoding="utf-8")
    src = tmp_path / "brat"
    src.mkdir()
    os.symlink(secret, src / "x.txt")
    (src / "x.ann").write_text("T1\tPER 0 3\tTOP\n", encoding="utf-8")
    root = fresh_corpus(tmp_path)
    (issue,) = _refused("brat", src, root).report.errors
    assert issue.code == "unsafe-source" and "symbolic link" in issue.message
    assert not any("SECRET" in p.read_text(encoding="utf-8") for p in root.rglob("*.txt"))


def test_doccano_boolean_offsets_are_a_malformed_item(tmp_path: Path) -> None:
    src = tmp_path / "d.jsonl"
    src.write_text('{"text": "Hello world", "label": [[true, 5, "PER"]]}\n{"text": "x", "entities": [{"id": 1}]}\n')
    root = fresh_corpus(tmp_path)
    report = import_corpus("doccano", src, root=root)
    assert report.valid
    issues = [w for w in report.warnings if w.code == "malformed-item"]
    assert [(w.file, w.line) for w in issues] == [("d.jsonl", 1), ("d.jsonl", 2)]
    assert '[true, 5, "PER"]' in issues[0].lines[0]


def test_every_error_is_reported_and_nothing_written(tmp_path: Path) -> None:
    src = tmp_path / "d.jsonl"
    src.write_text(
        '{"text": "ok one", "doc_id": "a"}\n{"text": \n{"text": "ok two", "doc_id": "a"}\n{"text": 5}\n',
        encoding="utf-8",
    )
    root = fresh_corpus(tmp_path)
    errors = _refused("doccano", src, root).report.errors
    assert sorted((e.code, e.line) for e in errors if e.line) == [("unreadable-source", 2), ("unreadable-source", 4)]
    assert any(e.code == "duplicate-id" for e in errors)


def test_existing_ids_are_refused_and_a_rerun_after_a_failure_works(tmp_path: Path) -> None:
    src = tmp_path / "d.jsonl"
    src.write_text('{"text": "Hello world", "doc_id": "a"}\n{"text": "Bye", "doc_id": "b"}\n', encoding="utf-8")
    root = fresh_corpus(tmp_path)
    (root / "raw" / "b.txt").write_text("taken\n", encoding="utf-8")
    (issue,) = _refused("doccano", src, root).report.errors
    assert issue.code == "document-exists" and issue.doc_id == "b"
    (root / "raw" / "b.txt").unlink()
    assert import_corpus("doccano", src, root=root).documents == ["a", "b"]


def test_unknown_options_are_usage_errors(tmp_path: Path, cli) -> None:
    root = fresh_corpus(tmp_path)
    with pytest.raises(OptionError, match="takes no option"):
        import_corpus("brat", MINI, root=root, tag_column=2)
    with pytest.raises(OptionError, match="choose one of auto, iob1, iob2"):
        import_corpus("conll", MINI, root=root, scheme="bio")
    result = cli("import", "brat", str(MINI), "--root", str(root), "--tag-column", "2")
    assert result.returncode == 2 and "only apply to the conll format" in result.stderr


def test_label_studio_import_reads_the_folder_its_export_wrote(tmp_path: Path, cli) -> None:
    src = non_ascii_corpus(tmp_path)
    out = tmp_path / "ls"
    assert cli("export", "labelstudio", "--out", str(out), "--root", str(src)).returncode == 0
    back = fresh_corpus(tmp_path, "back", targets={"platform_action": "x"})
    result = cli("import", "labelstudio", str(out), "--root", str(back))
    assert result.returncode == 0, result.stdout + result.stderr
    assert Corpus.at(back).doc_ids() == ["emoji"]


def test_exports_count_what_they_wrote_and_report_every_loss(tmp_path: Path) -> None:
    root = fresh_corpus(tmp_path, labels=["PERSON"], targets={"t": "T"})
    src = non_ascii_corpus(tmp_path)
    corpus = Corpus.at(src)
    data = corpus.read_annotations("emoji").model_dump(mode="json")
    data["stance"][0]["holder"] = {"type": "entity", "entity_id": "amber_rudd"}
    data["entities"][0]["entity_id"] = "amber_rudd"
    (src / "entities.json").write_text(
        json.dumps({"entities": [{"id": "amber_rudd", "name": "Amber Rudd", "label": "PERSON", "aliases": []}]}),
        encoding="utf-8",
    )
    corpus.write_annotations(AnnotationFile.model_validate(data))
    assert validate(src, cache=False).valid
    brat = export_corpus("brat", tmp_path / "brat", root=src)
    assert brat.counts["stance"] == 1  # the registry-held stance has no brat form and is not counted
    assert any("s1" in line for w in brat.warnings for line in (w.lines or []))
    doccano = export_corpus("doccano", tmp_path / "doccano", root=src)
    assert doccano.counts == {"entities": 1, "quotes": 1}  # numbers and stance are not written
    messages = " ".join(w.message + " " + " ".join(w.lines or []) for w in doccano.warnings)
    assert "registry link" in messages and "e1 -> amber_rudd" in messages
    assert "outlet" in messages  # document metadata doccano cannot hold
    for fmt in ("brat", "labelstudio", "conll"):
        report = export_corpus(fmt, tmp_path / f"m-{fmt}", root=src)
        assert any("outlet" in " ".join(w.lines or []) for w in report.warnings), fmt
    assert root.exists()
