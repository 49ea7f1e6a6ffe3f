"""Two small passes of one document, built so that every agreement figure can be worked out by hand
(the arithmetic is written out in test_compare.py)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

RAW = '"We act," Rudd said, "now." Facebook removed 90,000 posts and about 300 accounts in London.'
RAW_SHA = hashlib.sha256(RAW.encode("utf-8")).hexdigest()


def span(text: str, k: int = 1) -> dict:
    """{start, end, text} of the k-th occurrence of ``text`` in RAW."""
    start = -1
    for _ in range(k):
        start = RAW.index(text, start + 1)
    return {"start": start, "end": start + len(text), "text": text}


def ent(eid: str, text: str, label: str, entity_id: str | None = None) -> dict:
    return {"id": eid, "origin": "manual", **span(text), "label": label, "entity_id": entity_id}


def num(nid: str, text: str, value: float, kind: str = "count") -> dict:
    return {"id": nid, "origin": "manual", **span(text), "value": value, "kind": kind, "qualifier": "exact"}


def quote(qid: str, fragments: list[dict], speaker: dict, kind: str = "direct") -> dict:
    return {"id": qid, "origin": "manual", "kind": kind, "fragments": fragments, "cue": None, "speaker": speaker}


def stance_row(sid: str, holder: dict, target: str, label: str, evidence: dict | None = None) -> dict:
    evidence = evidence or {"type": "span", **span("Facebook removed")}
    return {"id": sid, "origin": "manual", "holder": holder, "target": target, "label": label, "evidence": evidence}


def doc(entities=(), quotes=(), numbers=(), stance=(), outlet: str = "o", doc_id: str = "d1") -> dict:
    return {
        "schema_version": "1.0",
        "doc_id": doc_id,
        "raw_sha256": RAW_SHA,
        "meta": {"title": "t", "outlet": outlet},
        "segments": [{**span(RAW), "kind": "body"}],
        "entities": list(entities),
        "quotes": list(quotes),
        "numbers": list(numbers),
        "stance": list(stance),
    }


RUDD = {"type": "mention", "mention_id": "e1"}

PASS_A = doc(
    entities=[
        ent("e1", "Rudd", "PERSON", "amber_rudd"),
        ent("e2", "Facebook", "ORG", "facebook"),
        ent("e3", "London", "GPE", "london"),
    ],
    quotes=[quote("q1", [span("We act,"), span("now.")], RUDD)],  # one quote in two fragments
    numbers=[num("n1", "90,000", 90000), num("n2", "300", 300)],
    stance=[
        stance_row("s1", RUDD, "platform_action", "favor"),
        stance_row("s2", {"type": "mention", "mention_id": "e2"}, "platform_action", "neutral"),
    ],
)
PASS_B = doc(
    outlet="Other Outlet",
    entities=[
        ent("e1", "Rudd", "PERSON", "amber_rudd"),  # same span, same label, same link
        ent("e2", "Facebook", "PRODUCT", "facebook"),  # same span and link, other label
        ent("e3", "posts", "PRODUCT"),  # a span A does not have
    ],
    quotes=[quote("q1", [span("We act,")], RUDD), quote("q2", [span("now.")], RUDD)],  # A's quote split in two
    numbers=[num("n1", "90,000", 9000), num("n2", "300", 300)],  # a value typo on n1
    stance=[
        # the same holder (the registry entity amber_rudd) reached another way, another label
        stance_row("s1", {"type": "entity", "entity_id": "amber_rudd"}, "platform_action", "against"),
        # same holder, target and label as A's s2, but a quote as evidence
        stance_row(
            "s2",
            {"type": "mention", "mention_id": "e2"},
            "platform_action",
            "neutral",
            {"type": "quote", "quote_id": "q1"},
        ),
        stance_row("s3", {"type": "nominal", **span("posts")}, "encryption_access", "favor"),
    ],
)

CONFIG = {
    "name": "tiny",
    "pretty_name": "tiny",
    "version": "0.1.0",
    "entity_labels": [{"name": n} for n in ("PERSON", "ORG", "GPE", "PRODUCT")],
    "stance_targets": [{"id": "platform_action", "description": "p"}, {"id": "encryption_access", "description": "e"}],
}
REGISTRY = {
    "entities": [
        {"id": "amber_rudd", "name": "Amber Rudd", "label": "PERSON"},
        {"id": "facebook", "name": "Facebook", "label": "ORG"},
        {"id": "london", "name": "London", "label": "GPE"},
    ]
}


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def write_pass(folder: Path, data: dict) -> Path:
    write_json(folder / f"{data['doc_id']}.json", data)
    return folder


def make_corpus(root: Path, gold: dict | None = None, passes: dict[str, dict] | None = None) -> Path:
    """A corpus holding RAW as document d1, ``gold`` as its gold file and ``passes`` as annotators' passes."""
    (root / "raw").mkdir(parents=True)
    (root / "raw" / "d1.txt").write_text(RAW, encoding="utf-8")
    write_json(root / "corpus.json", CONFIG)
    write_json(root / "entities.json", REGISTRY)
    write_pass(root / "annotations", gold or doc())
    for name, data in (passes or {}).items():
        write_pass(root / "passes" / name, data)
    return root
