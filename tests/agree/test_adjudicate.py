"""Adjudication of tests/agree/cases.py's two passes: units, agreed items in gold at once,
every disagreement listed, settled (take, edit, reject), blocked and stale decisions, the CLI."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from corpus_pkg import validate
from corpus_pkg.agree import adjudicate, disagreements, resolve, settle
from corpus_pkg.annotate.errors import AnnotationError

from ..conftest import run_cli
from .cases import PASS_A, PASS_B, doc, make_corpus, span

AB = ["a", "b"]


def unit(text: str, prefix: str = "e") -> str:
    s = span(text)
    return f"{prefix}{s['start']}-{s['end']}"


FACEBOOK, LONDON, POSTS, N90 = unit("Facebook"), unit("London"), unit("posts"), unit("90,000", "n")
QUOTE = f"q{span('We act,')['start']}-{span('now.')['end']}"
RUDD_ROW, FACEBOOK_ROW, POSTS_ROW = (
    "s-amber_rudd-platform_action",
    "s-facebook-platform_action",
    "s-posts-encryption_access",
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_corpus(tmp_path / "c", gold=doc(), passes={"a": PASS_A, "b": PASS_B})


def gold(root: Path) -> dict:
    return json.loads((root / "annotations" / "d1.json").read_text(encoding="utf-8"))


def test_agreed_units_go_to_gold_at_once(root: Path):
    result = adjudicate(root, "d1", AB)
    # Units: entities Rudd (agreed), Facebook (ORG vs PRODUCT), London (A only), posts (B only);
    # quotes one unit (A's quote overlaps both of B's); numbers 90,000 (values differ), 300 (agreed);
    # stance amber_rudd (favor vs against), facebook (evidence differs), posts (B only). 10 units, 2 agreed.
    assert (result.units, result.agreed, result.written) == (10, 2, True)
    assert [(d.unit, d.status) for d in result.disagreements] == [
        (FACEBOOK, "open"),
        (POSTS, "open"),
        (LONDON, "open"),
        (QUOTE, "open"),
        (N90, "open"),
        (RUDD_ROW, "open"),
        (FACEBOOK_ROW, "open"),
        (POSTS_ROW, "open"),
    ]
    facebook = result.disagreements[0]
    assert facebook.text == "Facebook"
    assert [v[0]["label"] for v in facebook.versions.values()] == ["ORG", "PRODUCT"]
    assert result.disagreements[2].versions["b"] == []  # London: B has nothing
    data = gold(root)
    assert [(e["id"], e["text"], e["source"]) for e in data["entities"]] == [("e1", "Rudd", "agreed:a+b")]
    assert [(n["id"], n["text"], n["value"]) for n in data["numbers"]] == [("n1", "300", 300)]
    assert data["quotes"] == [] and data["stance"] == []
    assert validate(root, cache=False).valid


def test_disagreements_write_nothing(root: Path):
    before = (root / "annotations" / "d1.json").read_bytes()
    assert len(disagreements(root, "d1", AB)) == 8
    assert (root / "annotations" / "d1.json").read_bytes() == before


def test_settling_every_unit_gives_valid_gold(root: Path):
    # the facebook stance row's holder is A's Facebook mention, not in gold yet: blocked
    result = resolve(root, "d1", FACEBOOK_ROW, AB, by="lead", take="a")
    row = next(d for d in result.disagreements if d.unit == FACEBOOK_ROW)
    assert row.status == "blocked" and "'Facebook' is not in gold" in row.reason
    result = settle(
        root,
        "d1",
        AB,
        "lead",
        {
            FACEBOOK: ("a", {}),
            LONDON: ("a", {}),
            POSTS: (None, {}),
            QUOTE: ("a", {}),
            N90: ("b", {"value": 90000}),  # B's version, its value corrected
            RUDD_ROW: ("b", {}),
            POSTS_ROW: (None, {}),
        },
    )
    assert result.open == []
    assert {d.unit: d.status for d in result.disagreements}[POSTS] == "rejected"
    data = gold(root)
    assert [(e["id"], e["text"], e["label"], e["source"]) for e in data["entities"]] == [
        ("e1", "Rudd", "PERSON", "agreed:a+b"),
        ("e2", "Facebook", "ORG", "adjudicated:lead<-a"),
        ("e3", "London", "GPE", "adjudicated:lead<-a"),
    ]
    assert [(q["id"], q["speaker"]) for q in data["quotes"]] == [("q1", {"type": "mention", "mention_id": "e1"})]
    assert [(n["id"], n["value"], n["source"]) for n in data["numbers"]] == [
        ("n1", 90000, "adjudicated:lead<-b"),
        ("n2", 300, "agreed:a+b"),
    ]
    # both rows cite the span "Facebook removed"; ordered by evidence, then target, then label
    assert [(s["id"], s["holder"], s["label"]) for s in data["stance"]] == [
        ("s1", {"type": "entity", "entity_id": "amber_rudd"}, "against"),
        ("s2", {"type": "mention", "mention_id": "e2"}, "neutral"),
    ]
    assert validate(root, cache=False).valid
    record = json.loads((root / "adjudication" / "d1.json").read_text(encoding="utf-8"))
    assert record["decisions"][N90]["take"] == "b" and record["decisions"][N90]["by"] == "lead"
    assert record["decisions"][N90]["changes"] == {"value": 90000}
    # a later run keeps every decision
    assert adjudicate(root, "d1", AB).open == [] and gold(root) == data


def test_changed_pass_makes_a_decision_stale(root: Path):
    resolve(root, "d1", FACEBOOK, AB, by="lead", take="a")
    changed = copy.deepcopy(PASS_B)
    changed["entities"][1]["label"] = "GPE"
    (root / "passes" / "b" / "d1.json").write_text(json.dumps(changed), encoding="utf-8")
    result = adjudicate(root, "d1", AB)
    assert {d.unit: d.status for d in result.disagreements}[FACEBOOK] == "stale"
    assert [e["text"] for e in gold(root)["entities"]] == ["Rudd"]


@pytest.mark.parametrize(
    ("unit_id", "take", "changes", "message"),
    [
        (QUOTE, "b", {}, "b has 2 items here"),
        (LONDON, "b", {}, "b has no version"),
        (unit("Rudd"), "a", {}, "agreed by every pass"),
        ("e0-1", "a", {}, "no unit 'e0-1'"),
        (FACEBOOK, "zed", {}, "'zed' is not one of a, b"),
        (FACEBOOK, "a", {"start": 0}, "cannot change start"),
        (FACEBOOK, "a", {"label": 7}, "would not be valid"),
    ],
)
def test_bad_decisions_are_refused_and_nothing_written(root: Path, unit_id, take, changes, message):
    adjudicate(root, "d1", AB)
    before = (root / "annotations" / "d1.json").read_bytes()
    with pytest.raises(AnnotationError, match=message):
        resolve(root, "d1", unit_id, AB, by="lead", take=take, changes=changes)
    assert (root / "annotations" / "d1.json").read_bytes() == before
    assert not (root / "adjudication" / "d1.json").exists()


def test_invalid_result_is_not_written(root: Path):
    """An undeclared label taken into gold fails gold validation: nothing is written."""
    adjudicate(root, "d1", AB)
    before = (root / "annotations" / "d1.json").read_bytes()
    with pytest.raises(AnnotationError, match="would not be valid"):
        resolve(root, "d1", FACEBOOK, AB, by="lead", take="a", changes={"label": "NOPE"})
    assert (root / "annotations" / "d1.json").read_bytes() == before


def test_hand_made_gold_is_kept_without_overwrite(tmp_path: Path):
    root = make_corpus(tmp_path / "c", gold=PASS_A, passes={"a": PASS_A, "b": PASS_B})
    with pytest.raises(AnnotationError, match="not made by adjudication"):
        adjudicate(root, "d1", AB)
    assert adjudicate(root, "d1", AB, overwrite=True).written


def test_cli_lists_then_settles(root: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("CORPUS_ANNOTATOR", raising=False)
    proc = run_cli("adjudicate", "d1", "--annotators", "a,b", "--root", str(root))
    assert proc.returncode == 1, proc.stderr  # units are open
    lines = proc.stdout.splitlines()
    assert lines[0] == f"d1: 10 units, 2 agreed, 0 settled, 8 open; wrote {root}/annotations/d1.json"
    assert f"  open     {FACEBOOK} entities 'Facebook'" in lines
    assert "           a: ORG -> facebook" in lines and "           b: PRODUCT -> facebook" in lines
    proc = run_cli("adjudicate", "d1", "--annotators", "a,b", "--format", "json", "--root", str(root))
    data = json.loads(proc.stdout)
    assert data[0]["open"] == 8 and data[0]["disagreements"][0]["unit"] == FACEBOOK
    proc = run_cli(
        "adjudicate", "d1", "--annotators", "a,b", "--take", f"{FACEBOOK}=b", "--set", f"{FACEBOOK}.label=ORG",
        "--reject", POSTS, "--root", str(root),
    )  # fmt: skip
    assert proc.returncode == 2 and "name the adjudicator" in proc.stderr
    proc = run_cli(
        "adjudicate", "d1", "--annotators", "a,b", "--take", f"{FACEBOOK}=b", "--set", f"{FACEBOOK}.label=ORG",
        "--reject", POSTS, "--by", "lead", "--root", str(root),
    )  # fmt: skip
    assert "6 open" in proc.stdout.splitlines()[0]
    facebook = next(e for e in gold(root)["entities"] if e["text"] == "Facebook")
    assert (facebook["label"], facebook["source"]) == ("ORG", "adjudicated:lead<-b")
    proc = run_cli("adjudicate", "--all", "--annotators", "a,b", "--dry-run", "--root", str(root))
    assert proc.stdout.startswith("d1: 10 units, 2 agreed, 2 settled, 6 open; would write")
