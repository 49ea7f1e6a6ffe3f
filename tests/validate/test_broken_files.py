"""One test per kind of broken corpus file: each must give exactly the expected issue, located."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from corpus_pkg import validate

from .helpers import DOC, ann_path, codes, load_ann, only_error, save_ann


def test_mini_corpus_is_valid(mini_corpus: Path) -> None:
    report = validate(mini_corpus)
    assert report.valid and report.issues == []
    assert report.stats == {"documents": 1, "errors": 0, "warnings": 0}


def test_invalid_json_syntax_names_line_and_column(mini_corpus: Path) -> None:
    text = ann_path(mini_corpus).read_text(encoding="utf-8")
    broken = text.replace('"kind": "title"', '"kind" "title"', 1)
    ann_path(mini_corpus).write_text(broken, encoding="utf-8")
    err = only_error(validate(mini_corpus), "invalid-json")
    assert err.file == f"annotations/{DOC}.json"
    expected_line = broken[: broken.index('"kind" "title"')].count("\n") + 1
    assert err.line == expected_line
    assert "delimiter" in err.message


def test_duplicate_key_is_reported_with_path(mini_corpus: Path) -> None:
    text = ann_path(mini_corpus).read_text(encoding="utf-8")
    text = text.replace('"label": "PERSON",', '"label": "PERSON",\n      "label": "ORG",', 1)
    ann_path(mini_corpus).write_text(text, encoding="utf-8")
    err = only_error(validate(mini_corpus), "duplicate-key")
    assert err.json_path == "entities[0].label"
    assert err.line is not None and '"label"' in text.splitlines()[err.line - 1]


def test_schema_violation_missing_field_and_wrong_type(mini_corpus: Path) -> None:
    data = load_ann(mini_corpus)
    del data["entities"][0]["label"]
    data["numbers"][0]["value"] = "ninety thousand"
    save_ann(mini_corpus, data)
    report = validate(mini_corpus)
    assert codes(report) == ["schema-violation", "schema-violation"]
    by_path = {i.json_path: i for i in report.issues}
    assert set(by_path) == {"entities[0].label", "numbers[0].value"}
    assert by_path["numbers[0].value"].value == "ninety thousand"
    assert "number" in by_path["numbers[0].value"].expected.lower()


def test_unknown_key_is_rejected(mini_corpus: Path) -> None:
    data = load_ann(mini_corpus)
    data["quotes"][0]["speeker"] = "typo"
    save_ann(mini_corpus, data)
    err = only_error(validate(mini_corpus), "schema-violation")
    assert err.json_path == "quotes[0].speeker"
    assert "Extra inputs" in err.message


def test_speaker_union_error_path_has_no_union_tag(mini_corpus: Path) -> None:
    data = load_ann(mini_corpus)
    data["quotes"][0]["speaker"] = {"type": "mention", "mention_id": 7}
    save_ann(mini_corpus, data)
    err = only_error(validate(mini_corpus), "schema-violation")
    assert err.json_path == "quotes[0].speaker.mention_id"
    assert err.value == 7


def test_offset_out_of_bounds(mini_corpus: Path) -> None:
    data = load_ann(mini_corpus)
    data["numbers"][0]["end"] = 10_000
    save_ann(mini_corpus, data)
    err = only_error(validate(mini_corpus), "offset-out-of-bounds")
    assert err.json_path == "numbers[0].end" and err.value == 10_000
    assert err.annotation_id == "n1"


def test_span_text_mismatch_shows_both_texts(mini_corpus: Path) -> None:
    data = load_ann(mini_corpus)
    ent = data["entities"][0]
    ent["start"] += 1
    ent["end"] += 1
    save_ann(mini_corpus, data)
    err = only_error(validate(mini_corpus), "span-text-mismatch")
    assert err.json_path == "entities[0].text"
    assert err.value == "Amber Rudd" and err.expected == "mber Rudd."
    assert err.char_start == ent["start"]


def test_byte_offsets_are_caught_as_mismatch(mini_corpus: Path) -> None:
    """A span given in UTF-8 byte offsets (as some tools do) is off by the non-ASCII bytes before it."""
    raw = (mini_corpus / "raw" / f"{DOC}.txt").read_text(encoding="utf-8")
    data = load_ann(mini_corpus)
    ent = data["entities"][0]
    byte_start = len(raw[: ent["start"]].encode("utf-8"))
    assert byte_start != ent["start"]
    ent["start"], ent["end"] = byte_start, byte_start + len("Amber Rudd")
    save_ann(mini_corpus, data)
    assert "span-text-mismatch" in codes(validate(mini_corpus))


def test_raw_hash_pin_mismatch(mini_corpus: Path) -> None:
    raw = mini_corpus / "raw" / f"{DOC}.txt"
    raw.write_bytes(raw.read_bytes() + b"Appended line.\n")
    err = only_error(validate(mini_corpus), "raw-hash-mismatch")
    assert err.json_path == "raw_sha256"
    assert err.expected == hashlib.sha256(raw.read_bytes()).hexdigest()


def test_duplicate_annotation_id_across_layers(mini_corpus: Path) -> None:
    data = load_ann(mini_corpus)
    data["numbers"][0]["id"] = "e1"
    save_ann(mini_corpus, data)
    err = only_error(validate(mini_corpus), "duplicate-id")
    assert err.json_path == "numbers[0].id" and "entities[0]" in err.message


def test_unresolved_references_all_reported(mini_corpus: Path) -> None:
    data = load_ann(mini_corpus)
    data["quotes"][0]["speaker"]["mention_id"] = "e99"
    data["stance"][0]["evidence"]["quote_id"] = "q42"
    data["entities"][1]["entity_id"] = "no_such_entity"
    save_ann(mini_corpus, data)
    report = validate(mini_corpus)
    assert codes(report) == ["unresolved-reference"] * 3
    assert {i.json_path for i in report.issues} == {
        "quotes[0].speaker.mention_id",
        "stance[0].evidence.quote_id",
        "entities[1].entity_id",
    }
    assert {i.value for i in report.issues} == {"e99", "q42", "no_such_entity"}


def test_undeclared_label_lists_declared_ones(mini_corpus: Path) -> None:
    data = load_ann(mini_corpus)
    data["entities"][0]["label"] = "PER"
    save_ann(mini_corpus, data)
    err = only_error(validate(mini_corpus), "undeclared-label")
    assert err.value == "PER" and "PERSON" in err.expected


def test_undeclared_stance_target(mini_corpus: Path) -> None:
    data = load_ann(mini_corpus)
    data["stance"][0]["target"] = "world_peace"
    save_ann(mini_corpus, data)
    err = only_error(validate(mini_corpus), "undeclared-stance-target")
    assert err.json_path == "stance[0].target" and "platform_action" in err.expected


def test_raw_without_annotation_and_annotation_without_raw(mini_corpus: Path) -> None:
    (mini_corpus / "raw" / "lonely.txt").write_text("No annotations here.\n", encoding="utf-8")
    (mini_corpus / "raw" / f"{DOC}.txt").rename(mini_corpus / "raw" / "renamed.txt")
    report = validate(mini_corpus)
    assert sorted(codes(report)) == sorted(["missing-annotation-file", "missing-annotation-file", "missing-raw-file"])
    missing_raw = next(i for i in report.issues if i.code == "missing-raw-file")
    assert missing_raw.file == f"annotations/{DOC}.json" and missing_raw.expected == f"raw/{DOC}.txt"


def test_doc_id_must_match_file_name(mini_corpus: Path) -> None:
    data = load_ann(mini_corpus)
    data["doc_id"] = "other"
    save_ann(mini_corpus, data)
    err = only_error(validate(mini_corpus), "doc-id-mismatch")
    assert err.value == "other" and err.expected == DOC


def test_ids_that_could_escape_their_folder(mini_corpus: Path) -> None:
    data = load_ann(mini_corpus)
    data["doc_id"] = "../../etc/passwd"
    save_ann(mini_corpus, data)
    (mini_corpus / "annotations" / "..evil.json").write_text("{}", encoding="utf-8")
    (mini_corpus / "raw" / "bad name.txt").write_text("x", encoding="utf-8")
    report = validate(mini_corpus)
    unsafe = [i for i in report.issues if i.code == "unsafe-id"]
    assert {i.file for i in unsafe} == {"annotations/..evil.json", "raw/bad name.txt"}
    schema = [i for i in report.issues if i.code == "schema-violation"]
    assert [i.json_path for i in schema] == ["doc_id"]


def test_symlinked_annotation_is_not_followed(mini_corpus: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text('{"password": "hunter2"}', encoding="utf-8")
    (mini_corpus / "annotations" / "link.json").symlink_to(secret)
    report = validate(mini_corpus)
    err = next(i for i in report.issues if i.file == "annotations/link.json")
    assert err.code == "linked-path" and "symbolic link" in err.message
    assert "hunter2" not in report.model_dump_json()


def test_invalid_config_is_reported_with_path(mini_corpus: Path) -> None:
    cfg = json.loads((mini_corpus / "corpus.json").read_text(encoding="utf-8"))
    cfg["version"] = "one"
    (mini_corpus / "corpus.json").write_text(json.dumps(cfg, indent=2), encoding="utf-8")
    report = validate(mini_corpus)
    config_issues = [i for i in report.issues if i.code == "invalid-config"]
    assert [i.json_path for i in config_issues] == ["version"]
    assert config_issues[0].file == "corpus.json" and config_issues[0].line == 4


def test_registry_duplicate_id_and_bad_label(mini_corpus: Path) -> None:
    reg = json.loads((mini_corpus / "entities.json").read_text(encoding="utf-8"))
    reg["entities"].append({**reg["entities"][0], "label": "PEOPLE"})
    (mini_corpus / "entities.json").write_text(json.dumps(reg, indent=2), encoding="utf-8")
    report = validate(mini_corpus)
    assert sorted(codes(report)) == ["duplicate-id", "undeclared-label"]
    assert all(i.file == "entities.json" for i in report.issues)


def test_split_listing_unknown_document(mini_corpus: Path) -> None:
    cfg = json.loads((mini_corpus / "corpus.json").read_text(encoding="utf-8"))
    cfg["splits"] = {"test": ["doc1", "ghost"]}
    (mini_corpus / "corpus.json").write_text(json.dumps(cfg, indent=2), encoding="utf-8")
    err = only_error(validate(mini_corpus), "unresolved-reference")
    assert err.json_path == "splits.test[1]" and err.value == "ghost"


def test_all_errors_are_reported_not_only_the_first(mini_corpus: Path) -> None:
    data = load_ann(mini_corpus)
    data["entities"][0]["label"] = "PER"
    data["entities"][1]["text"] = "ISIL"
    data["stance"][0]["target"] = "nope"
    save_ann(mini_corpus, data)
    assert sorted(codes(validate(mini_corpus))) == [
        "span-text-mismatch",
        "undeclared-label",
        "undeclared-stance-target",
    ]


def test_select_and_ignore_filter_codes(mini_corpus: Path) -> None:
    data = load_ann(mini_corpus)
    data["entities"][0]["label"] = "PER"
    data["stance"][0]["target"] = "nope"
    save_ann(mini_corpus, data)
    assert codes(validate(mini_corpus, select=["undeclared-label"])) == ["undeclared-label"]
    assert codes(validate(mini_corpus, ignore=["undeclared-label"])) == ["undeclared-stance-target"]


def test_atomic_writes_get_normal_file_permissions(tmp_path: Path) -> None:
    import os

    from corpus_pkg._io import atomic_write_text

    target = tmp_path / "out.txt"
    atomic_write_text(target, "x")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
