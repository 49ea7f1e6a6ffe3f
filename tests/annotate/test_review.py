"""Review of existing annotations: remove, accept and reject (API and CLI twins)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus_pkg.annotate.errors import AnnotationError
from corpus_pkg.annotate.review import accept_suggestions, edit_annotation, reject_suggestions, remove_annotations
from corpus_pkg.validate import validate

DOC = Path("annotations") / "doc1.json"


def ids(root: Path) -> dict[str, list[str]]:
    data = json.loads((root / DOC).read_text(encoding="utf-8"))
    return {layer: [item["id"] for item in data[layer]] for layer in ("entities", "quotes", "numbers", "stance")}


def make_suggestions(root: Path, *wanted: str) -> None:
    """Turn the annotations ``wanted`` of the mini corpus into unreviewed suggestions."""
    data = json.loads((root / DOC).read_text(encoding="utf-8"))
    for layer in ("entities", "quotes", "numbers", "stance"):
        for item in data[layer]:
            if item["id"] in wanted:
                item["origin"] = "suggestion"
                item["source"] = "rule:test"
    (root / DOC).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def test_remove_an_unreferenced_annotation(mini_corpus: Path) -> None:
    result = remove_annotations(mini_corpus, "doc1", ["e2"])
    assert result.written and result.ids == ["e2"]
    assert ids(mini_corpus)["entities"] == ["e1"]
    assert validate(mini_corpus, cache=False).valid
    assert result.summary() == f"Removed e2 in {mini_corpus / DOC}"


def test_a_referenced_annotation_needs_cascade(mini_corpus: Path) -> None:
    before = (mini_corpus / DOC).read_bytes()
    with pytest.raises(AnnotationError) as info:
        remove_annotations(mini_corpus, "doc1", ["e1"])
    message = str(info.value)
    assert "q1 (quote speaker of e1)" in message and "s1 (stance holder of e1)" in message
    assert "--cascade" in message
    assert (mini_corpus / DOC).read_bytes() == before  # nothing written

    preview = remove_annotations(mini_corpus, "doc1", ["e1"], cascade=True, dry_run=True)
    assert preview.ids == ["e1", "q1", "s1"] and not preview.written
    assert (mini_corpus / DOC).read_bytes() == before

    result = remove_annotations(mini_corpus, "doc1", ["e1"], cascade=True)
    assert result.ids == ["e1", "q1", "s1"]
    assert ids(mini_corpus) == {"entities": ["e2"], "quotes": [], "numbers": ["n1"], "stance": []}
    assert validate(mini_corpus, cache=False).valid


def test_removing_a_quote_cascades_to_the_stance_it_supports(mini_corpus: Path) -> None:
    result = remove_annotations(mini_corpus, "doc1", ["q1"], cascade=True)
    assert result.ids == ["q1", "s1"]


def test_unknown_ids_are_named_with_the_ids_that_exist(mini_corpus: Path) -> None:
    with pytest.raises(
        AnnotationError, match=r"no annotation with id 'e9', 'x'; ids in this document: e1, e2, n1, q1, s1"
    ):
        remove_annotations(mini_corpus, "doc1", ["e9", "e1", "x"])


def test_accept_makes_suggestions_gold_and_keeps_their_source(mini_corpus: Path) -> None:
    make_suggestions(mini_corpus, "n1", "e2")
    assert {i.code for i in validate(mini_corpus, cache=False).warnings} >= {"unreviewed-suggestion"}
    result = accept_suggestions(mini_corpus, "doc1", layer="numbers")
    assert result.ids == ["n1"]
    data = json.loads((mini_corpus / DOC).read_text(encoding="utf-8"))
    number = data["numbers"][0]
    assert (number["origin"], number["source"]) == ("manual", "rule:test")
    assert data["entities"][1]["origin"] == "suggestion"  # another layer: untouched
    assert accept_suggestions(mini_corpus, "doc1").ids == ["e2"]
    assert "unreviewed-suggestion" not in {i.code for i in validate(mini_corpus, cache=False).issues}
    nothing = accept_suggestions(mini_corpus, "doc1")
    assert nothing.ids == [] and not nothing.written
    assert nothing.summary() == f"Nothing to accept in {mini_corpus / DOC}"


def test_accept_and_reject_refuse_gold_annotations(mini_corpus: Path) -> None:
    with pytest.raises(AnnotationError, match=r"not a suggestion: e1 \(manual\); use `corpus remove`"):
        accept_suggestions(mini_corpus, "doc1", ["e1"])
    with pytest.raises(AnnotationError, match="not a suggestion"):
        reject_suggestions(mini_corpus, "doc1", ["q1"])


def test_reject_never_removes_gold_annotations(mini_corpus: Path) -> None:
    make_suggestions(mini_corpus, "e1", "n1")
    before = (mini_corpus / DOC).read_bytes()
    for cascade in (False, True):  # q1 and s1 are gold and refer to e1: even --cascade stops
        with pytest.raises(AnnotationError) as info:
            reject_suggestions(mini_corpus, "doc1", cascade=cascade)
        assert "still referred to by q1 (quote speaker of e1), s1 (stance holder of e1)" in str(info.value)
        assert "accept the suggestion instead, or delete both with `corpus remove ... --cascade`" in str(info.value)
    assert (mini_corpus / DOC).read_bytes() == before
    assert reject_suggestions(mini_corpus, "doc1", ["n1"]).ids == ["n1"]
    assert ids(mini_corpus)["numbers"] == []


def test_reject_cascades_through_suggestions_only(mini_corpus: Path) -> None:
    make_suggestions(mini_corpus, "e1", "q1", "s1")  # a whole suggested chain: mention <- quote <- stance
    with pytest.raises(AnnotationError, match="--cascade rejects suggestions that refer to it"):
        reject_suggestions(mini_corpus, "doc1", ["e1"])
    assert reject_suggestions(mini_corpus, "doc1", ["e1"], cascade=True).ids == ["e1", "q1", "s1"]
    assert ids(mini_corpus) == {"entities": ["e2"], "quotes": [], "numbers": ["n1"], "stance": []}


def test_empty_repeated_and_misplaced_ids(mini_corpus: Path) -> None:
    with pytest.raises(AnnotationError, match="no annotation ids given"):
        remove_annotations(mini_corpus, "doc1", [])
    with pytest.raises(TypeError, match="not the string 'e2'"):
        remove_annotations(mini_corpus, "doc1", "e2")
    with pytest.raises(AnnotationError, match=r"no annotation with id 'zz';"):
        remove_annotations(mini_corpus, "doc1", ["zz", "zz"])
    assert remove_annotations(mini_corpus, "doc1", ["e2", "e2"]).ids == ["e2"]
    make_suggestions(mini_corpus, "n1")
    with pytest.raises(AnnotationError, match=r"not in layer entities: n1 \(in numbers\)"):
        accept_suggestions(mini_corpus, "doc1", ["n1"], layer="entities")
    nothing = reject_suggestions(mini_corpus, "doc1", layer="quotes")
    assert (nothing.ids, nothing.written) == ([], False)
    assert nothing.summary() == f"Nothing to remove in {mini_corpus / DOC}"


def load_item(root: Path, layer: str, ann_id: str) -> dict:
    data = json.loads((root / DOC).read_text(encoding="utf-8"))
    return next(item for item in data[layer] if item["id"] == ann_id)


def test_edit_sets_fields_and_validates_the_result(mini_corpus: Path) -> None:
    result = edit_annotation(mini_corpus, "doc1", "e2", {"label": "NORP", "note": "a movement"})
    assert result.summary() == f"Edited e2 in {mini_corpus / DOC}"
    edited = load_item(mini_corpus, "entities", "e2")
    assert (edited["label"], edited["note"], edited["text"]) == ("NORP", "a movement", "ISIS")
    edit_annotation(mini_corpus, "doc1", "n1", {"value": 90001, "unit": None})
    number = load_item(mini_corpus, "numbers", "n1")
    assert number["value"] == 90001 and "unit" not in number  # None is left out of the file
    assert validate(mini_corpus, cache=False).valid
    same = edit_annotation(mini_corpus, "doc1", "n1", {"value": 90001.0})
    assert (same.ids, same.written, same.summary()) == ([], False, f"Nothing to edit in {mini_corpus / DOC}")


def test_edit_refuses_bad_values_and_fields_and_writes_nothing(mini_corpus: Path) -> None:
    before = (mini_corpus / DOC).read_bytes()
    with pytest.raises(AnnotationError, match="'PER' is not a declared entity label"):
        edit_annotation(mini_corpus, "doc1", "e1", {"label": "PER"})
    with pytest.raises(
        AnnotationError, match=r"n1 would not be valid: value: Input should be a valid number \(got 'lots'\)"
    ):
        edit_annotation(mini_corpus, "doc1", "n1", {"value": "lots"})
    with pytest.raises(AnnotationError, match="e1 is in entities, whose editable fields are label, entity_id"):
        edit_annotation(mini_corpus, "doc1", "e1", {"start": 3})
    with pytest.raises(AnnotationError, match="no changes given"):
        edit_annotation(mini_corpus, "doc1", "e1", {})
    assert (mini_corpus / DOC).read_bytes() == before


def test_cli_edit(mini_corpus: Path, cli) -> None:
    root = str(mini_corpus)
    dry = cli("edit", "doc1", "n1", "--set", "value=12.5", "--set", "unit=null", "--dry-run", "--root", root)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout == f"Would edit n1 in {mini_corpus / DOC}\n"
    assert load_item(mini_corpus, "numbers", "n1")["value"] == 90000
    done = cli("edit", "doc1", "e2", "--set", 'note="7"', "--set", "label=NORP", "--root", root)
    assert done.returncode == 0, done.stderr
    assert {k: load_item(mini_corpus, "entities", "e2")[k] for k in ("note", "label")} == {"note": "7", "label": "NORP"}
    bad = cli("edit", "doc1", "e2", "--set", "label", "--root", root)
    assert bad.returncode == 2 and "expected FIELD=VALUE" in bad.stderr


def test_cli_remove_accept_reject(mini_corpus: Path, cli) -> None:
    root = str(mini_corpus)
    refused = cli("remove", "doc1", "e1", "--root", root)
    assert refused.returncode == 1 and refused.stderr.startswith("Error: ") and "Traceback" not in refused.stderr
    dry = cli("remove", "doc1", "e1", "--cascade", "--dry-run", "--root", root)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout == f"Would remove e1, q1, s1 in {mini_corpus / DOC}\n"
    assert ids(mini_corpus)["entities"] == ["e1", "e2"]

    make_suggestions(mini_corpus, "n1", "e2")
    accepted = cli("accept", "doc1", "--layer", "numbers", "--root", root)
    assert accepted.returncode == 0, accepted.stderr
    assert accepted.stdout == f"Accepted n1 in {mini_corpus / DOC}\n"
    rejected = cli("reject", "doc1", "e2", "--root", root)
    assert rejected.returncode == 0, rejected.stderr
    assert ids(mini_corpus)["entities"] == ["e1"]
    bad_layer = cli("accept", "doc1", "--layer", "words", "--root", root)
    assert bad_layer.returncode == 2 and "words" in bad_layer.stderr
