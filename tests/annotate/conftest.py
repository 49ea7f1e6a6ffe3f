"""Fixtures for annotator tooling tests: a corpus made with `corpus init` + `corpus add-article`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpus_pkg.annotate.articles import add_article, init_corpus

#: Non-ASCII text (curly quotes, Hebrew, an emoji outside the BMP) comes before every span, so
#: code-point, UTF-16 and byte offsets all differ.
ARTICLE = (
    "Rudd presses platforms\n\n"
    "“Hebrew” עברית 🎉 — “We will act,” said Amber Rudd. “Companies must do more,” she said. "
    "ISIS posted 90,000 times in fourteen days; a spokesman said about 3,400 accounts were closed "
    "in 2017, 45% of them. Amber Rudd left.\n"
)


def make_corpus(tmp_path: Path, text: str = ARTICLE, doc_id: str = "rudd") -> Path:
    """Create a corpus with one article, in process (the CLI twins are tested in test_annotate_cmd.py)."""
    root = tmp_path / "news"
    init_corpus(root, name="news", stance_targets={"platform_action": "Platforms should act"})
    add_article(root, doc_id, text.encode("utf-8"), outlet="Test")
    return root


def load(root: Path, doc_id: str = "rudd") -> dict:
    """The annotation file as JSON."""
    return json.loads((root / "annotations" / f"{doc_id}.json").read_text(encoding="utf-8"))


def raw(root: Path, doc_id: str = "rudd") -> str:
    return (root / "raw" / f"{doc_id}.txt").read_bytes().decode("utf-8")


@pytest.fixture
def news(tmp_path: Path) -> Path:
    """A corpus holding ARTICLE as document 'rudd'."""
    return make_corpus(tmp_path)
