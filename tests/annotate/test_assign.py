"""corpus assign / assign(): overlap k, a sample for everyone, assignments.json validated, queues."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from corpus_pkg import add_entity, validate
from corpus_pkg.annotate.articles import add_article
from corpus_pkg.annotate.assign import assign, queue, read_assignments
from corpus_pkg.corpus import CorpusError

from ..conftest import run_cli
from .conftest import make_corpus


@pytest.fixture
def five(tmp_path: Path) -> Path:
    root = make_corpus(tmp_path, doc_id="d0")
    for i in range(1, 5):
        add_article(root, f"d{i}", f"Article number {i} text.".encode())
    return root


def test_overlap_k_gives_each_document_k_annotators_evenly(five: Path):
    plan = assign(five, ["ann", "bob", "cy"], overlap=2, seed=7)
    assert sorted(plan.documents) == ["d0", "d1", "d2", "d3", "d4"]
    assert all(len(set(names)) == 2 for names in plan.documents.values())
    loads = Counter(name for names in plan.documents.values() for name in names)
    assert sum(loads.values()) == 10 and max(loads.values()) - min(loads.values()) <= 1  # 4, 3, 3
    assert plan.sample == []
    on_disk = json.loads((five / "assignments.json").read_text(encoding="utf-8"))
    assert on_disk["documents"] == plan.documents and on_disk["overlap"] == 2 and on_disk["seed"] == 7


def test_sample_goes_to_everyone_rest_round_robin(five: Path):
    plan = assign(five, ["ann", "bob", "cy"], overlap=1, sample=2, seed=1)
    assert len(plan.sample) == 2
    for doc_id in plan.sample:
        assert plan.documents[doc_id] == ["ann", "bob", "cy"]
    rest = [names for doc_id, names in plan.documents.items() if doc_id not in plan.sample]
    assert sorted(n for names in rest for n in names) == ["ann", "bob", "cy"]  # 3 documents, one each


def test_same_seed_same_plan_and_no_silent_overwrite(five: Path):
    first = assign(five, ["a", "b"], overlap=1, seed=3)
    data = (five / "assignments.json").read_bytes()
    with pytest.raises(FileExistsError, match="assignments.json exists"):
        assign(five, ["a", "b"], overlap=1, seed=3)
    again = assign(five, ["a", "b"], overlap=1, seed=3, overwrite=True)
    assert again == first and (five / "assignments.json").read_bytes() == data
    assert read_assignments(five) == first


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"annotators": ["a", "a"]}, "each annotator once"),
        ({"annotators": ["a"], "overlap": 2}, "overlap must be between 1 and"),
        ({"annotators": ["a"], "sample": 9}, "sample must be between 0 and"),
        ({"annotators": ["a"], "doc_ids": ["nope"]}, "unknown document"),
        ({"annotators": ["../x"]}, "unsafe annotator name"),
    ],
)
def test_bad_requests_are_refused(five: Path, kwargs: dict, message: str):
    with pytest.raises(CorpusError, match=message):
        assign(five, **kwargs)
    assert not (five / "assignments.json").exists()


def test_queue_shows_started_documents(five: Path):
    plan = assign(five, ["ann", "bob"], overlap=1, seed=0)
    mine = plan.queue("ann")
    word = "ISIS" if mine[0] == "d0" else "Article"  # d0 is the test article, d1-d4 "Article number i text."
    add_entity(five, mine[0], word, "ORG", annotator="ann")
    items = queue(five, "ann")
    assert [i.doc_id for i in items] == mine
    assert [i.started for i in items] == [True] + [False] * (len(mine) - 1)
    assert queue(five, "nobody") == []


def test_validate_checks_assignments(five: Path):
    assign(five, ["ann", "bob"], overlap=2)
    assert validate(five, cache=False).valid
    data = json.loads((five / "assignments.json").read_text(encoding="utf-8"))
    data["documents"]["ghost"] = ["ann"]
    (five / "assignments.json").write_text(json.dumps(data), encoding="utf-8")
    issues = {(i.code, i.file, i.json_path) for i in validate(five, cache=False).issues}
    assert ("unresolved-reference", "assignments.json", "documents.ghost") in issues
    data["documents"]["ghost"] = ["zed"]
    (five / "assignments.json").write_text(json.dumps(data), encoding="utf-8")
    report = validate(five, cache=False)
    assert any(i.code == "invalid-config" and i.file == "assignments.json" for i in report.issues)
    assert not report.valid


def test_cli_assign_and_queue(five: Path):
    proc = run_cli("assign", "--annotators", "ann,bob", "--overlap", "2", "--root", str(five))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "Assigned 5 documents (overlap 2, 0 shared by all):",
        "  ann: 5",
        "  bob: 5",
    ]
    proc = run_cli("queue", "bob", "--root", str(five))
    assert proc.stdout.splitlines() == [f"d{i}\tto do" for i in range(5)]
    proc = run_cli("assign", "--annotators", "ann", "--root", str(five))
    assert proc.returncode == 1 and "--overwrite" in proc.stderr
