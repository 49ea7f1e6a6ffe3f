"""The annotate API's hooks for the workbench: compare-and-swap on the file version, spans pinned
by offsets, the annotator's credit, restoring removed annotations, adding registry entities."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus_pkg.annotate.add import add_entity, add_number, add_quote
from corpus_pkg.annotate.errors import AnnotationError, StaleVersionError
from corpus_pkg.annotate.registry import add_registry_entity
from corpus_pkg.annotate.review import accept_suggestions, edit_annotation, remove_annotations, restore_annotations
from corpus_pkg.annotate.session import file_version

from .conftest import ARTICLE, load


def version(root: Path) -> str:
    return file_version((root / "annotations" / "rudd.json").read_bytes())


def test_expected_version_is_a_compare_and_swap(news: Path) -> None:
    seen = version(news)
    add_entity(news, "rudd", "ISIS", "ORG", expected_version=seen)
    changed = (news / "annotations" / "rudd.json").read_bytes()
    with pytest.raises(StaleVersionError, match="changed since") as caught:
        add_entity(news, "rudd", "Amber Rudd", "PERSON", occurrence=1, expected_version=seen)
    assert caught.value.current == file_version(changed)
    for call in (
        lambda: edit_annotation(news, "rudd", "e1", {"label": "NORP"}, expected_version=seen),
        lambda: remove_annotations(news, "rudd", ["e1"], expected_version=seen),
        lambda: restore_annotations(news, "rudd", [], remove=["e1"], expected_version=seen),
    ):
        with pytest.raises(StaleVersionError):
            call()
    assert (news / "annotations" / "rudd.json").read_bytes() == changed


def test_spans_pinned_by_offsets_are_checked(news: Path) -> None:
    start = ARTICLE.index("Amber Rudd", ARTICLE.index("Amber Rudd") + 1)  # the second one, no occurrence needed
    result = add_entity(news, "rudd", "Amber Rudd", "PERSON", at=(start, start + 10))
    assert (result.item.start, result.item.end) == (start, start + 10)
    with pytest.raises(AnnotationError, match="not the text 'Amber'"):
        add_entity(news, "rudd", "Amber", "PERSON", at=(start + 1, start + 6))
    with pytest.raises(AnnotationError, match="not a non-empty span"):
        add_number(news, "rudd", "90,000", at=(5, 5))
    first = ARTICLE.index("We will act,")
    cue = ARTICLE.index("said")
    quote = add_quote(
        news, "rudd", "We will act,", at=(first, first + 12), cue="said", cue_at=(cue, cue + 4), speaker_unknown=True
    ).item
    assert (quote.fragments[0].start, quote.cue.start) == (first, cue)


def test_annotator_credit_and_restore(news: Path) -> None:
    add_entity(news, "rudd", "ISIS", "ORG", source="rule:x")
    edit_annotation(news, "rudd", "e1", {"origin": "suggestion"})
    accept_suggestions(news, "rudd", by="alice")
    assert load(news)["entities"][0]["source"] == "alice (accepted rule:x)"
    edit_annotation(news, "rudd", "e1", {"label": "NORP"}, by="alice")
    assert load(news)["entities"][0]["source"] == "alice (accepted rule:x)"  # credited once
    before = load(news)["entities"]
    remove_annotations(news, "rudd", ["e1"])
    result = restore_annotations(news, "rudd", [{"layer": "entities", **before[0]}])
    assert result.ids == ["e1"] and load(news)["entities"] == before
    with pytest.raises(AnnotationError, match="not one of"):
        restore_annotations(news, "rudd", [{"layer": "files", "id": "x"}])
    with pytest.raises(AnnotationError, match="would not be valid"):
        restore_annotations(news, "rudd", [{"layer": "entities", **before[0], "id": "e2", "start": 0}])


def test_registry_entities_get_free_ids(news: Path) -> None:
    first = add_registry_entity(news, "Amber Rudd", "PERSON", aliases=["Rudd", "Amber Rudd"])
    second = add_registry_entity(news, "Amber  Rudd!", "PERSON")
    assert (first.id, first.aliases, second.id) == ("amber_rudd", ["Rudd"], "amber_rudd_2")
    add_entity(news, "rudd", "ISIS", "ORG")
    edit_annotation(news, "rudd", "e1", {"entity_id": "amber_rudd_2"})
    with pytest.raises(AnnotationError, match="not declared"):
        add_registry_entity(news, "X", "NOPE")
