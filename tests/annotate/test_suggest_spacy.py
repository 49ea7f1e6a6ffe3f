"""The spacy entity suggester runs a pipeline the user names: here one built in code and saved to disk."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy  # the [spacy] extra, part of the dev extra

from corpus_pkg import suggest_entities, validate

from .suggest_helpers import load, make_corpus, raw

LINES = [
    ("title", "Rudd meets Telegram"),
    ("body", "Amber Rudd told the Home Office that Telegram's help and Facebook matter to Rudd."),
    ("boilerplate", "Amber Rudd newsletter"),
]


@pytest.fixture
def pipeline(tmp_path: Path) -> Path:
    """A blank English pipeline with an entity_ruler, saved with nlp.to_disk: nothing is downloaded."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(
        [
            {"label": "PERSON", "pattern": "Amber Rudd", "id": "amber_rudd"},
            {"label": "PERSON", "pattern": "Rudd"},  # linked by its registry alias
            {"label": "ORG", "pattern": "the Home Office"},  # "the" is trimmed
            {"label": "ORG", "pattern": [{"LOWER": "telegram"}, {"ORTH": "'s", "OP": "?"}]},  # "'s" is trimmed
            {"label": "COMPANY", "pattern": "Facebook"},  # not declared in corpus.json: skipped
        ]
    )
    path = tmp_path / "pipeline"
    nlp.to_disk(path)
    return path


def test_spacy_suggester_with_a_saved_pipeline(tmp_path: Path, pipeline: Path, cli) -> None:
    root = make_corpus(tmp_path, LINES)
    result = cli("suggest", "entities", "doc", "--suggester", "spacy", "--model", str(pipeline), "--write",
                 "--root", str(root))  # fmt: skip
    assert result.returncode == 0, result.stderr
    text = raw(root)
    got = [(e["text"], e["label"], e.get("entity_id"), e["source"], e["start"]) for e in load(root)["entities"]]
    assert got == [
        ("Rudd", "PERSON", "amber_rudd", "spacy@1", text.index("Rudd")),
        ("Telegram", "ORG", None, "spacy@1", text.index("Telegram")),
        ("Amber Rudd", "PERSON", "amber_rudd", "spacy@1", text.index("Amber Rudd")),
        ("Home Office", "ORG", "home_office", "spacy@1", text.index("Home Office")),
        ("Telegram", "ORG", None, "spacy@1", text.index("Telegram's")),
        ("Rudd", "PERSON", "amber_rudd", "spacy@1", text.rindex("Rudd.")),
    ]
    assert validate(root).valid
    # a second run proposes nothing new: every span is taken
    again = suggest_entities(root, "doc", "spacy", model=str(pipeline))
    assert again.suggestions == [] and again.skipped == 6


def test_spacy_suggester_errors(tmp_path: Path, cli) -> None:
    root = make_corpus(tmp_path, LINES)
    result = cli("suggest", "entities", "doc", "--suggester", "spacy", "--root", str(root))
    assert result.returncode == 1 and "the spacy suggester needs a pipeline: pass --model" in result.stderr
    result = cli("suggest", "entities", "doc", "--suggester", "spacy", "--model", str(tmp_path / "none"),
                 "--root", str(root))  # fmt: skip
    assert result.returncode == 1 and "cannot load spaCy pipeline" in result.stderr
