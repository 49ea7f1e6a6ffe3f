"""Build small corpora for the suggester tests: one article, segments per line, a registry."""

from __future__ import annotations

import json
from pathlib import Path

from corpus_pkg.annotate.articles import add_article, init_corpus
from corpus_pkg.corpus import Corpus
from corpus_pkg.schema import Segment

#: (id, name, label, aliases)
REGISTRY = [
    ("amber_rudd", "Amber Rudd", "PERSON", ["Rudd"]),
    ("rob_wainwright", "Rob Wainwright", "PERSON", ["Wainwright"]),
    ("al_qaeda", "al-Qaeda", "ORG", []),
    ("isis", "Islamic State", "ORG", ["ISIS", "IS", "Islamic State in Iraq and Syria"]),
    ("syria", "Syria", "GPE", []),
    ("united_states", "United States", "GPE", ["US", "U.S."]),
    ("home_office", "Home Office", "ORG", []),
    ("reuters", "Reuters", "ORG", []),
    ("amber_alert", "Amber Alert", "EVENT", ["Amber"]),
    ("amber_heard", "Amber Heard", "PERSON", ["Amber"]),
]


def make_corpus(tmp_path: Path, lines: list[tuple[str, str]], doc_id: str = "doc") -> Path:
    """A corpus with one article made of ``lines`` ((segment kind, text) each, blank lines between)."""
    root = tmp_path / "news"
    init_corpus(root, name="news")
    text = "\n\n".join(line for _kind, line in lines) + "\n"
    add_article(root, doc_id, text.encode("utf-8"), outlet="Test", title="Test")
    corpus = Corpus.at(root)
    ann = corpus.read_annotations(doc_id)
    segments, at = [], 0
    for kind, line in lines:
        start = text.index(line, at)
        segments.append(Segment(kind=kind, start=start, end=start + len(line), text=line))
        at = start + len(line)
    corpus.write_annotations(ann.model_copy(update={"segments": segments}))
    entities = [{"id": i, "name": name, "label": label, "aliases": aliases} for i, name, label, aliases in REGISTRY]
    (root / "entities.json").write_text(json.dumps({"entities": entities}, indent=2), encoding="utf-8")
    return root


def load(root: Path, doc_id: str = "doc") -> dict:
    return json.loads((root / "annotations" / f"{doc_id}.json").read_text(encoding="utf-8"))


def raw(root: Path, doc_id: str = "doc") -> str:
    return (root / "raw" / f"{doc_id}.txt").read_bytes().decode("utf-8")
