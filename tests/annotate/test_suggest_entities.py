"""`corpus suggest entities`: registry names and aliases found in the text, linked, never duplicated."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus_pkg import accept_suggestions, add_entity, reject_suggestions, suggest_entities, validate
from corpus_pkg.annotate.suggest import get_suggester, suggest_corpus

from .suggest_helpers import load, make_corpus, raw

LINES = [
    ("title", "Rudd presses platforms"),
    ("subtitle", "Amber Rudd in the US"),
    ("body", "Al-Qaeda and pro-ISIS accounts grew as the Islamic State in Iraq and Syria spread, Rudd's office said."),
    ("body", "The US told us ISISX and IS-linked groups were not Amber's concern; Amber Rudd met Reuters' staff."),
    ("boilerplate", "Follow Reuters and the Home Office"),
]


@pytest.fixture
def news(tmp_path: Path) -> Path:
    return make_corpus(tmp_path, LINES)


def _found(root: Path) -> list[tuple[str, str, str | None, str]]:
    return [(e["text"], e["label"], e.get("entity_id"), e["source"]) for e in load(root)["entities"]]


def test_registry_rules_case_words_longest_match_segments(news: Path) -> None:
    result = suggest_entities(news, "doc", write=True)
    assert result.written and result.source == "registry@1"
    text = raw(news)
    got = [(e.text, e.label, e.entity_id) for e in result.suggestions]
    assert got == [
        ("Rudd", "PERSON", "amber_rudd"),  # title
        ("Al-Qaeda", "ORG", "al_qaeda"),  # "al-Qaeda" capitalised at a sentence start
        ("ISIS", "ORG", "isis"),  # inside "pro-ISIS"
        ("Islamic State in Iraq and Syria", "ORG", "isis"),  # longest match: no "Islamic State", no "Syria"
        ("Rudd", "PERSON", "amber_rudd"),  # before a possessive
        ("US", "GPE", "united_states"),  # "us" (lowercase) is not "US"
        ("IS", "ORG", "isis"),  # "IS-linked"; "ISISX" is no word match
        ("Amber Rudd", "PERSON", "amber_rudd"),  # "Amber" alone names two entities: ambiguous, skipped
        ("Reuters", "ORG", "reuters"),
    ]
    # the subtitle and the boilerplate line are not annotated (guidelines: title and body only)
    assert result.outside == 4  # "Amber Rudd", "US" in the subtitle; "Reuters", "Home Office" in boilerplate
    for e in load(news)["entities"]:
        assert text[e["start"] : e["end"]] == e["text"]
        assert e["origin"] == "suggestion" and e["source"] == "registry@1"
    report = validate(news)
    assert report.valid
    assert [i.code for i in report.warnings] == ["unreviewed-suggestion"]


def test_no_duplicates_of_gold_or_earlier_suggestions(news: Path) -> None:
    add_entity(news, "doc", "Amber Rudd", label="PERSON", entity_id="amber_rudd", occurrence=2)  # gold
    first = suggest_entities(news, "doc", write=True)
    assert first.skipped == 1 and len(first.suggestions) == 8
    second = suggest_entities(news, "doc", write=True)
    assert second.suggestions == [] and second.skipped == 9 and not second.written
    entities = load(news)["entities"]
    spans = [(e["start"], e["end"]) for e in entities]
    assert len(spans) == len(set(spans)) == 9
    assert [e["origin"] for e in entities].count("manual") == 1


def test_review_with_accept_and_reject(news: Path) -> None:
    suggest_entities(news, "doc", write=True)
    ids = [e["id"] for e in load(news)["entities"]]
    accept_suggestions(news, "doc", ids[:2])
    reject_suggestions(news, "doc", layer="entities")
    entities = load(news)["entities"]
    assert [(e["id"], e["origin"], e["source"]) for e in entities] == [
        (ids[0], "manual", "registry@1"),
        (ids[1], "manual", "registry@1"),
    ]
    assert validate(news).warnings == []


def test_cli_one_document_and_all(news: Path, cli) -> None:
    before = (news / "annotations" / "doc.json").read_bytes()
    result = cli("suggest", "entities", "doc", "--root", str(news))
    assert result.returncode == 0, result.stderr
    assert "'Islamic State in Iraq and Syria' ORG -> isis" in result.stdout
    assert result.stdout.endswith(
        "9 entity suggestion(s) from registry@1 for doc (0 already annotated, 4 outside title/body skipped); "
        "would write (pass --write to save)\n"
    )
    assert (news / "annotations" / "doc.json").read_bytes() == before
    result = cli("suggest", "entities", "--all", "--write", "--root", str(news))
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("outside title/body skipped); wrote\n")  # one document: no total line
    assert len(load(news)["entities"]) == 9
    for args in (("suggest", "entities"), ("suggest", "entities", "doc", "--all")):
        result = cli(*args, "--root", str(news))
        assert result.returncode == 1 and "name one document, or pass --all" in result.stderr
    result = cli("suggest", "entities", "doc", "--suggester", "nope", "--root", str(news))
    assert result.returncode == 1
    assert "unknown entities suggester 'nope'; known: registry, spacy" in result.stderr
    result = cli("suggest", "entities", "doc", "--model", "x", "--root", str(news))
    assert result.returncode == 1 and "--model is for --suggester spacy" in result.stderr


def test_suggest_corpus_runs_every_document(tmp_path: Path) -> None:
    root = make_corpus(tmp_path, LINES)
    results = suggest_corpus(root, "entities")
    assert [r.doc_id for r in results] == ["doc"] and len(results[0].suggestions) == 9
    with pytest.raises(ValueError, match="unknown quotes suggester"):
        suggest_corpus(root, "quotes", "registry")
    assert get_suggester("entities").name == "registry"  # the default
