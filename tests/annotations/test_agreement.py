"""scripts/agreement.py on two small hand-built passes whose expected scores are worked out below."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "agreement.py"

_spec = importlib.util.spec_from_file_location("agreement", SCRIPT)
agreement = importlib.util.module_from_spec(_spec)
sys.modules["agreement"] = agreement
_spec.loader.exec_module(agreement)

RAW = '"We act," Rudd said, "now." Facebook removed 90,000 posts and about 300 accounts in London.'


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


def doc(entities=(), quotes=(), numbers=(), stance=(), segments=(), outlet: str = "o") -> dict:
    return {
        "schema_version": "1.0",
        "doc_id": "d1",
        "raw_sha256": hashlib.sha256(RAW.encode("utf-8")).hexdigest(),
        "meta": {"title": "t", "outlet": outlet},
        "segments": list(segments),
        "entities": list(entities),
        "quotes": list(quotes),
        "numbers": list(numbers),
        "stance": list(stance),
    }


def quote(qid: str, fragments: list[dict], speaker: dict, kind: str = "direct") -> dict:
    return {"id": qid, "origin": "manual", "kind": kind, "fragments": fragments, "cue": None, "speaker": speaker}


def stance_row(sid: str, holder: dict, target: str, label: str, evidence: dict | None = None) -> dict:
    evidence = evidence or {"type": "span", **span("Facebook removed")}
    return {"id": sid, "origin": "manual", "holder": holder, "target": target, "label": label, "evidence": evidence}


QUOTE_EVIDENCE = {"type": "quote", "quote_id": "q1"}

# Pass A (reference) and pass B, built so that each layer has a known, hand-computed outcome.
PASS_A = doc(
    segments=[{**span(RAW), "kind": "body"}],
    entities=[
        ent("e1", "Rudd", "PERSON", "amber_rudd"),
        ent("e2", "Facebook", "ORG", "facebook"),
        ent("e3", "London", "GPE", "london"),
    ],
    # q1: one quote split in two fragments around the cue.
    quotes=[quote("q1", [span("We act,"), span("now.")], {"type": "mention", "mention_id": "e1"})],
    numbers=[num("n1", "90,000", 90000), num("n2", "300", 300)],
    stance=[
        stance_row("s1", {"type": "mention", "mention_id": "e1"}, "platform_action", "favor"),
        stance_row("s2", {"type": "mention", "mention_id": "e2"}, "platform_action", "neutral"),
    ],
)
PASS_B = doc(
    outlet="Other Outlet",
    segments=[{**span(RAW), "kind": "boilerplate"}],
    entities=[
        ent("e1", "Rudd", "PERSON", "amber_rudd"),  # same span, same label
        ent("e2", "Facebook", "PRODUCT", "facebook"),  # same span, other label
        ent("e3", "posts", "PRODUCT"),  # span not in A
    ],
    # Same content but only the first fragment: a different fragment set, so no match.
    quotes=[
        quote("q1", [span("We act,")], {"type": "mention", "mention_id": "e1"}),
        quote("q2", [span("now.")], {"type": "mention", "mention_id": "e1"}),
    ],
    numbers=[num("n1", "90,000", 9000), num("n2", "300", 300)],  # value typo on n1
    stance=[
        # Holder is the same registry entity (amber_rudd) through a mention: the pair matches.
        stance_row("s1", {"type": "entity", "entity_id": "amber_rudd"}, "platform_action", "against"),
        # Same pair and label as A, but other evidence (a quote instead of the span).
        stance_row("s2", {"type": "mention", "mention_id": "e2"}, "platform_action", "neutral", QUOTE_EVIDENCE),
        stance_row("s3", {"type": "nominal", **span("posts")}, "encryption_access", "favor"),
    ],
)


def write_pass(folder: Path, data: dict) -> Path:
    folder.mkdir(parents=True)
    (folder / "d1.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.fixture
def passes(tmp_path: Path) -> tuple[Path, Path]:
    return write_pass(tmp_path / "a", PASS_A), write_pass(tmp_path / "b", PASS_B)


def test_entities_span_label_and_link(passes):
    layers = agreement.compare_dirs(*passes).layers
    e = layers["entities"]
    # A = {Rudd, Facebook, London}, B = {Rudd, Facebook, posts}: 2 of 3 spans match on each side.
    assert (e.n_a, e.n_b, e.matched) == (3, 3, 2)
    assert e.precision == pytest.approx(2 / 3)
    assert e.recall == pytest.approx(2 / 3)
    assert e.f1 == pytest.approx(2 * (2 / 3) * (2 / 3) / (4 / 3))
    # Of the 2 matched spans only Rudd has the same label; span+label F1 = 2*1/(3+3).
    assert e.label_agreement == pytest.approx(1 / 2)
    assert e.label_f1 == pytest.approx(1 / 3)
    # Both matched spans link to the same registry entity.
    assert e.extra_agreement == 1.0


def test_quotes_compare_fragment_sets(passes):
    q = agreement.compare_dirs(*passes).layers["quotes"]
    # A's two-fragment quote equals neither of B's one-fragment quotes.
    assert (q.n_a, q.n_b, q.matched) == (1, 2, 0)
    assert q.f1 == 0.0
    assert q.label_agreement is None


def test_quotes_match_when_fragment_sets_equal(tmp_path: Path):
    b = json.loads(json.dumps(PASS_A))
    b["quotes"][0]["fragments"].reverse()  # order does not matter, the set does
    b["quotes"][0]["kind"] = "mixed"
    report = agreement.compare_dirs(write_pass(tmp_path / "a", PASS_A), write_pass(tmp_path / "b", b))
    q = report.layers["quotes"]
    assert (q.matched, q.f1, q.label_agreement, q.extra_agreement) == (1, 1.0, 0.0, 1.0)


def test_numbers_value_agreement(passes):
    n = agreement.compare_dirs(*passes).layers["numbers"]
    assert (n.n_a, n.n_b, n.matched) == (2, 2, 2)
    assert n.f1 == 1.0
    # 90,000 vs 9000 disagree, 300 agrees.
    assert n.extra_agreement == pytest.approx(1 / 2)


def test_stance_pairs_and_labels(passes):
    s = agreement.compare_dirs(*passes).layers["stance"]
    # A pairs: (amber_rudd, platform_action), (facebook, platform_action);
    # B adds ("posts", encryption_access): 2 matched, P = 2/3, R = 1.
    assert (s.n_a, s.n_b, s.matched) == (2, 3, 2)
    assert s.precision == pytest.approx(2 / 3)
    assert s.recall == 1.0
    assert s.f1 == pytest.approx(2 * 2 / 5)
    # favor vs against for Rudd, neutral = neutral for Facebook.
    assert s.label_agreement == pytest.approx(1 / 2)
    # Rudd's rows cite the same span; Facebook's rows cite a span in A and a quote in B.
    assert s.extra_agreement == pytest.approx(1 / 2)


def test_metadata_differences_are_listed_not_scored(passes):
    report = agreement.compare_dirs(*passes)
    assert report.meta_diffs == {"d1": {"outlet": ("o", "Other Outlet")}}


def test_segments_kind_agreement(passes):
    seg = agreement.compare_dirs(*passes).layers["segments"]
    assert (seg.matched, seg.f1, seg.label_agreement) == (1, 1.0, 0.0)


def test_cli_prints_markdown_table(passes):
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), str(passes[0]), str(passes[1])], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "Documents compared: d1"
    assert "| entities | 3 | 3 | 2 | 0.667 | 0.667 | 0.667 | 0.500 | 0.333 | entity_id: 1.000 |" in lines
    assert "| numbers | 2 | 2 | 2 | 1.000 | 1.000 | 1.000 | 1.000 | 1.000 | value: 0.500 |" in lines
    assert "| stance | 2 | 3 | 2 | 0.667 | 1.000 | 0.800 | 0.500 | 0.400 | evidence: 0.500 |" in lines
    assert "Metadata differs: d1 outlet: A 'o', B 'Other Outlet'" in lines


def test_cli_json_matches_api(passes):
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), str(passes[0]), str(passes[1]), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(proc.stdout)
    assert data == json.loads(json.dumps(agreement.compare_dirs(*passes).to_dict()))


def test_different_raw_text_is_an_error(tmp_path: Path):
    b = json.loads(json.dumps(PASS_A))
    b["raw_sha256"] = "0" * 64
    a_dir, b_dir = write_pass(tmp_path / "a", PASS_A), write_pass(tmp_path / "b", b)
    with pytest.raises(agreement.AgreementError, match="different raw texts"):
        agreement.compare_dirs(a_dir, b_dir)
    proc = subprocess.run([sys.executable, str(SCRIPT), str(a_dir), str(b_dir)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.startswith("Error: d1: the passes were made on different raw texts")
    assert "Traceback" not in proc.stderr


def test_no_common_documents_is_an_error(tmp_path: Path):
    a_dir = write_pass(tmp_path / "a", PASS_A)
    (tmp_path / "b").mkdir()
    with pytest.raises(agreement.AgreementError, match="no <doc_id>.json file in common"):
        agreement.compare_dirs(a_dir, tmp_path / "b")


def test_invalid_file_names_location(tmp_path: Path):
    broken = json.loads(json.dumps(PASS_A))
    broken["entities"][0]["start"] = "zero"
    a_dir, b_dir = write_pass(tmp_path / "a", PASS_A), write_pass(tmp_path / "b", broken)
    with pytest.raises(agreement.AgreementError, match=r"d1\.json: not a valid annotation file at entities\.0\.start"):
        agreement.compare_dirs(a_dir, b_dir)


def test_docs_agreement_md_figures_reproduce():
    """The table in docs/agreement.md is what its documented command prints."""
    before, pass2 = REPO / "docs" / "agreement" / "gold_before", REPO / "docs" / "agreement" / "pass2"
    doc = (REPO / "docs" / "agreement.md").read_text(encoding="utf-8")
    assert "scripts/agreement.py docs/agreement/gold_before docs/agreement/pass2 --per-doc" in doc
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), str(before), str(pass2)], capture_output=True, text=True, check=True
    )
    rows = [line for line in proc.stdout.splitlines() if line.startswith("| ")]
    assert len(rows) == 6  # header + 5 layers
    for row in rows:
        assert row in doc, f"docs/agreement.md is out of date: {row}"
