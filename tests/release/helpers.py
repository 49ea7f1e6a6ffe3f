"""A three-document corpus exercising what the mini corpus does not: splits, suggestions, imported
items, discontinuous quotes, nominal and entity holders, a mention that does not align to tokens."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from tests.conftest import MINI

DOC2 = (
    "Pro-ISIS posts 🚫\n\n"
    'A spokesman said that "we remove content quickly" and, he added, "within hours". '
    "Jane Doe of Facebook disagreed about roughly 1.5 million posts.\n"
)
DOC3 = "Short note\n\nNo annotations here.\n"


def span(raw: str, text: str, nth: int = 0) -> dict[str, Any]:
    """``{"start", "end", "text"}`` of the ``nth`` occurrence of ``text`` in ``raw``."""
    start = -1
    for _ in range(nth + 1):
        start = raw.index(text, start + 1)
    return {"start": start, "end": start + len(text), "text": text}


def _segments(raw: str, title: str, body: str) -> list[dict[str, Any]]:
    return [{**span(raw, title), "kind": "title"}, {**span(raw, body), "kind": "body"}]


def _write(root: Path, doc_id: str, raw: str, annotations: dict[str, Any]) -> None:
    data = raw.encode("utf-8")
    (root / "raw" / f"{doc_id}.txt").write_bytes(data)
    full = {
        "schema_version": "1.0",
        "doc_id": doc_id,
        "raw_sha256": hashlib.sha256(data).hexdigest(),
        "meta": {"title": raw.split("\n")[0], "outlet": "Example News", "authors": [], "published": "2016-05-02"},
        "segments": [],
        "entities": [],
        "quotes": [],
        "numbers": [],
        "stance": [],
        **annotations,
    }
    path = root / "annotations" / f"{doc_id}.json"
    path.write_text(json.dumps(full, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def make_rich_corpus(dest: Path) -> Path:
    """Copy tests/data/mini to ``dest`` and add doc2 (every edge case) and doc3 (empty, split ``test``)."""
    shutil.copytree(MINI, dest)
    config = json.loads((dest / "corpus.json").read_text(encoding="utf-8"))
    config["splits"] = {"test": ["doc3"]}
    (dest / "corpus.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    registry = json.loads((dest / "entities.json").read_text(encoding="utf-8"))
    registry["entities"].append({"id": "facebook", "name": "Facebook", "label": "ORG", "aliases": []})
    (dest / "entities.json").write_text(json.dumps(registry, indent=2) + "\n", encoding="utf-8")

    raw = DOC2
    body = raw[raw.index("A spokesman") : raw.index("posts.") + len("posts.")]
    _write(
        dest,
        "doc2",
        raw,
        {
            "segments": _segments(raw, "Pro-ISIS posts 🚫", body),
            "entities": [
                {"id": "m1", "origin": "manual", **span(raw, "Facebook"), "label": "ORG", "entity_id": "facebook"},
                {"id": "m2", "origin": "imported", "source": "brat:T2", **span(raw, "Jane Doe"), "label": "PERSON"},
                {"id": "m3", "origin": "manual", **span(raw, "Jan"), "label": "PERSON"},
                {"id": "m4", "origin": "suggestion", **span(raw, "ISIS"), "label": "ORG", "entity_id": "isis"},
            ],
            "quotes": [
                {
                    "id": "q1",
                    "origin": "manual",
                    "kind": "direct",
                    "fragments": [span(raw, "we remove content quickly"), span(raw, "within hours")],
                    "cue": span(raw, "said"),
                    "speaker": {"type": "nominal", **span(raw, "A spokesman")},
                    "note": "split quote",
                },
                {
                    "id": "q2",
                    "origin": "suggestion",
                    "kind": "indirect",
                    "fragments": [span(raw, "disagreed")],
                    "speaker": {"type": "mention", "mention_id": "m2"},
                },
            ],
            "numbers": [
                {
                    "id": "n1",
                    "origin": "manual",
                    **span(raw, "1.5 million"),
                    "value": 1500000.0,
                    "kind": "count",
                    "unit": "posts",
                    "qualifier": "approximate",
                }
            ],
            "stance": [
                {
                    "id": "s1",
                    "origin": "manual",
                    "holder": {"type": "entity", "entity_id": "facebook"},
                    "target": "platform_action",
                    "label": "against",
                    "evidence": {"type": "span", **span(raw, "disagreed")},
                },
                {
                    "id": "s2",
                    "origin": "imported",
                    "holder": {"type": "nominal", **span(raw, "A spokesman")},
                    "target": "encryption_access",
                    "label": "neutral",
                    "evidence": {"type": "quote", "quote_id": "q1"},
                },
            ],
        },
    )
    _write(dest, "doc3", DOC3, {"segments": _segments(DOC3, "Short note", "No annotations here.")})
    return dest
