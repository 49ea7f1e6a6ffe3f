"""compare_passes on tests/agree/cases.py: every figure of every layer, worked out by hand below."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from corpus_pkg.agree import AgreementError, compare_annotators, compare_passes
from corpus_pkg.agree.matching import overlap_pairs

from .cases import PASS_A, PASS_B, doc, make_corpus, write_pass


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A corpus with raw text (for token alpha): gold = PASS_A, passes/b = PASS_B."""
    return make_corpus(tmp_path / "c", gold=PASS_A, passes={"b": PASS_B})


@pytest.fixture
def report(corpus: Path) -> dict:
    return compare_passes(corpus, corpus / "passes" / "b").to_dict(per_doc=True)


def test_entities(report: dict):
    e = report["entities"]
    # A: Rudd/PERSON, Facebook/ORG, London/GPE; B: Rudd/PERSON, Facebook/PRODUCT, posts/PRODUCT.
    # Span and label: only Rudd. P = 1/3, R = 1/3, F1 = 2*1/(3+3) = 1/3.
    assert (e["n_a"], e["n_b"], e["matched"]) == (3, 3, 1)
    assert (e["precision"], e["recall"], e["f1"]) == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    # Span only: Rudd and Facebook. span F1 = 2*2/6 = 2/3.
    assert (e["span_matched"], e["span_f1"]) == (2, pytest.approx(2 / 3))
    # Labels of span-matched pairs: (PERSON, PERSON), (ORG, PRODUCT): p_o = 1/2;
    # p_e = P_A(PERSON) * P_B(PERSON) = 1/2 * 1/2 = 1/4; kappa = (1/2 - 1/4) / (3/4) = 1/3.
    assert e["label_agreement"] == 0.5
    assert e["kappa"] == pytest.approx(1 / 3)
    # Both span-matched mentions link to the same registry entity.
    assert e["link_agreement"] == 1.0
    # Token alpha over the 23 tokens of RAW: 19 tokens O in both; Rudd (PERSON, PERSON);
    # Facebook (ORG, PRODUCT); London (GPE, O); posts (O, PRODUCT). n = 46 values:
    # O 40, PERSON 2, PRODUCT 2, ORG 1, GPE 1. D_o = 6/46 (three disagreeing units, two ordered
    # pairs each); D_e = (46^2 - (1600+4+4+1+1)) / (46*45) = 506/2070; alpha = 1 - D_o/D_e = 118/253.
    assert e["alpha_tokens"] == 23
    assert e["alpha"] == pytest.approx(118 / 253)
    assert e["per_label"] == {
        "GPE": {"n_a": 1, "n_b": 0, "matched": 0, "precision": None, "recall": 0.0, "f1": 0.0},
        "ORG": {"n_a": 1, "n_b": 0, "matched": 0, "precision": None, "recall": 0.0, "f1": 0.0},
        "PERSON": {"n_a": 1, "n_b": 1, "matched": 1, "precision": 1.0, "recall": 1.0, "f1": 1.0},
        "PRODUCT": {"n_a": 0, "n_b": 2, "matched": 0, "precision": 0.0, "recall": None, "f1": 0.0},
    }


def test_quotes(report: dict):
    q = report["quotes"]
    # A's one quote ("We act," + "now.") overlaps both of B's; it pairs with the one sharing more
    # characters ("We act,", 7 > 4). matched 1: P = 1/2, R = 1/1, F1 = 2*1/(1+2) = 2/3.
    assert (q["n_a"], q["n_b"], q["matched"]) == (1, 2, 1)
    assert (q["precision"], q["recall"], q["f1"]) == pytest.approx((0.5, 1.0, 2 / 3))
    # No identical fragment set: exact F1 = 0.
    assert (q["exact_matched"], q["exact_f1"]) == (0, 0.0)
    # The pair: both direct (kappa undefined: one kind throughout), both spoken by the Rudd mention.
    assert (q["kind_agreement"], q["kind_kappa"], q["speaker_agreement"]) == (1.0, None, 1.0)
    # Tokens We, act, ",", now, "." are direct in both passes, every other token O: alpha = 1.
    assert q["alpha"] == 1.0
    assert q["per_label"] == {
        "direct": {"n_a": 1, "n_b": 2, "matched": 1, "precision": 0.5, "recall": 1.0, "f1": pytest.approx(2 / 3)}
    }


def test_numbers(report: dict):
    n = report["numbers"]
    # Span and value: only 300 (A 90000 vs B 9000). P = R = F1 = 1/2.
    assert (n["n_a"], n["n_b"], n["matched"]) == (2, 2, 1)
    assert (n["precision"], n["recall"], n["f1"]) == (0.5, 0.5, 0.5)
    assert (n["span_matched"], n["span_f1"], n["value_agreement"]) == (2, 1.0, 0.5)
    assert (n["kind_agreement"], n["kind_kappa"]) == (1.0, None)
    assert n["per_label"] == {"count": {"n_a": 2, "n_b": 2, "matched": 1, "precision": 0.5, "recall": 0.5, "f1": 0.5}}


def test_stance(report: dict):
    s = report["stance"]
    # A: (amber_rudd, platform_action, favor), (facebook, platform_action, neutral).
    # B: (amber_rudd, platform_action, against), (facebook, platform_action, neutral),
    #    ("posts", encryption_access, favor). Holder, target and label: facebook only.
    # P = 1/3, R = 1/2, F1 = 2*1/(2+3) = 2/5.
    assert (s["n_a"], s["n_b"], s["matched"]) == (2, 3, 1)
    assert (s["precision"], s["recall"], s["f1"]) == pytest.approx((1 / 3, 0.5, 0.4))
    # Holder and target: amber_rudd (a mention in A, an entity holder in B) and facebook. pair F1 = 4/5.
    assert (s["pair_matched"], s["pair_f1"]) == (2, pytest.approx(0.8))
    # Labels of the pairs (favor, against), (neutral, neutral): p_o = 1/2; p_e = 1/2*1/2 (neutral) = 1/4;
    # kappa = 1/3. Alpha: n = 4 (favor 1, against 1, neutral 2); D_o = 2/4; D_e = (16-1-1-4)/12 = 10/12;
    # alpha = 1 - (1/2)/(10/12) = 2/5.
    assert s["label_agreement"] == 0.5
    assert s["kappa"] == pytest.approx(1 / 3)
    assert s["alpha"] == pytest.approx(0.4)
    # Evidence: the same span for amber_rudd; a span in A but a quote in B for facebook.
    assert s["evidence_agreement"] == 0.5
    assert s["per_label"]["against"] == {
        "n_a": 0,
        "n_b": 1,
        "matched": 0,
        "precision": 0.0,
        "recall": None,
        "f1": 0.0,
    }
    assert s["per_label"]["neutral"]["f1"] == 1.0 and s["per_label"]["favor"]["f1"] == 0.0


def test_report_frame(report: dict, corpus: Path):
    assert report["doc_ids"] == ["d1"] and report["only_in_a"] == [] and report["only_in_b"] == []
    assert report["meta_differences"] == {"d1": {"outlet": ["o", "Other Outlet"]}}
    # one document: its figures are the totals
    assert report["documents"]["d1"]["entities"] == report["entities"]


def test_identical_passes_agree_fully(corpus: Path):
    r = compare_passes(corpus, corpus).to_dict()
    for layer in ("entities", "quotes", "numbers", "stance"):
        assert r[layer]["f1"] == 1.0
    assert r["entities"]["kappa"] == 1.0 and r["entities"]["alpha"] == 1.0


def test_reference_direction_swaps_precision_and_recall(corpus: Path):
    back = compare_passes(corpus / "passes" / "b", corpus).to_dict()
    assert (back["stance"]["precision"], back["stance"]["recall"]) == pytest.approx((0.5, 1 / 3))


def test_without_raw_text_token_alpha_is_undefined(tmp_path: Path):
    a, b = write_pass(tmp_path / "a", PASS_A), write_pass(tmp_path / "b", PASS_B)
    r = compare_passes(a, b).to_dict()
    assert r["entities"]["alpha"] is None and r["entities"]["f1"] == pytest.approx(1 / 3)


def test_layers_are_chosen(corpus: Path):
    r = compare_passes(corpus, corpus / "passes" / "b", layers=["stance"]).to_dict()
    assert "stance" in r and "entities" not in r
    with pytest.raises(AgreementError, match="unknown layer"):
        compare_passes(corpus, corpus, layers=["segments"])


def test_overlap_pairs_each_item_once():
    # A0 overlaps B0 by 3 and B1 by 5; A1 overlaps B1 by 2. Greedy by overlap: (A0, B1), then A1 has
    # only B1, which is taken; B0 is left. One pair.
    assert overlap_pairs([[(0, 10)], [(12, 14)]], [[(7, 10)], [(5, 14)]]) == [(0, 1)]


def test_errors_name_the_file(tmp_path: Path):
    a = write_pass(tmp_path / "a", PASS_A)
    broken = copy.deepcopy(PASS_B)
    broken["entities"][0]["start"] = "zero"
    b = write_pass(tmp_path / "b", broken)
    with pytest.raises(AgreementError, match=r"b/d1\.json: not a valid annotation file: entities\.0\.start"):
        compare_passes(a, b)
    other = copy.deepcopy(PASS_B)
    other["raw_sha256"] = "0" * 64
    with pytest.raises(AgreementError, match="different raw texts"):
        compare_passes(a, write_pass(tmp_path / "c", other))
    (tmp_path / "empty").mkdir()
    with pytest.raises(AgreementError, match="no <doc_id>.json file in common"):
        compare_passes(a, tmp_path / "empty")
    with pytest.raises(AgreementError, match="not a folder"):
        compare_passes(a, tmp_path / "missing")


def test_annotators_matrix(tmp_path: Path):
    only_rudd = doc(entities=[PASS_A["entities"][0]])
    root = make_corpus(tmp_path / "c", gold=PASS_A, passes={"b": PASS_B, "c": only_rudd})
    m = compare_annotators(root, ["gold", "b", "c"], layers=["entities"])
    table = m.matrix()["entities"]
    # gold vs b: 1/3 (above). gold vs c: Rudd matches, F1 = 2*1/(3+1) = 1/2. b vs c: 2*1/(3+1) = 1/2.
    assert table["gold"]["b"] == pytest.approx(1 / 3) and table["b"]["gold"] == pytest.approx(1 / 3)
    assert table["gold"]["c"] == 0.5 and table["b"]["c"] == 0.5 and table["c"]["c"] is None
    assert [(p.pass_a, p.pass_b) for p in m.pairs] == [("gold", "b"), ("gold", "c"), ("b", "c")]
    # Alpha of all three over the 23 tokens (57 = 19 all-O units x 3 coders; see the arithmetic):
    # Rudd (P,P,P); Facebook (ORG,PRODUCT,O); London (GPE,O,O); posts (O,PRODUCT,O). Coincidences of
    # differing values: Facebook 6 x 1/2 = 3, London 2, posts 2: D_o = 7/69. Value counts O 62,
    # PERSON 3, PRODUCT 2, ORG 1, GPE 1: D_e = (69^2 - 3859) / (69*68) = 902/4692; alpha = 213/451.
    # Stance: c has no rows (missing values); amber_rudd (favor, against), facebook (neutral, neutral)
    # are the pairable units, as in the two-pass case: alpha 2/5.
    full = compare_annotators(root, ["gold", "b", "c"])
    assert full.alpha["entities"] == pytest.approx(213 / 451)
    assert full.alpha["stance"] == pytest.approx(0.4)
    with pytest.raises(AgreementError, match="annotator 'zz' has no pass"):
        compare_annotators(root, ["gold", "zz"])
