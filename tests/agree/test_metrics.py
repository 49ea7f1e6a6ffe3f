"""Cohen's kappa and Krippendorff's alpha on cases worked out by hand."""

from __future__ import annotations

import pytest

from corpus_pkg.agree.metrics import cohen_kappa, f1, krippendorff_alpha, precision, recall


def test_cohen_kappa_two_by_two():
    # 50 items: yes/yes 20, yes/no 5, no/yes 10, no/no 15.
    # p_o = 35/50 = 0.7; A says yes 25/50, B 30/50; p_e = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = 0.2/0.5 = 0.4
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert cohen_kappa(pairs) == pytest.approx(0.4)


def test_cohen_kappa_undefined_cases():
    assert cohen_kappa([]) is None
    assert cohen_kappa([("a", "a"), ("a", "a")]) is None  # p_e = 1: one label throughout
    assert cohen_kappa([("a", "a"), ("b", "b")]) == 1.0


def test_alpha_two_coders():
    # units (a,a) (a,b) (b,b) (b,b): n = 8 values, n_a = 3, n_b = 5; one disagreeing unit gives
    # o(a,b) = o(b,a) = 1. D_o = 2/8; D_e = (64 - 9 - 25) / (8*7) = 30/56; alpha = 1 - (1/4)/(30/56) = 8/15
    assert krippendorff_alpha([["a", "a", "b", "b"], ["a", "b", "b", "b"]]) == pytest.approx(8 / 15)


def test_alpha_three_coders_with_missing_values():
    # unit 1 (a,a): o(a,a) += 2; unit 2 (a,b,b), m = 3: o(a,b) += 1, o(b,a) += 1, o(b,b) += 1;
    # unit 3 (b,b): o(b,b) += 2. n_a = 3, n_b = 4, n = 7. D_o = 2/7, D_e = (49-9-16)/42 = 4/7: alpha = 1/2
    rows = [["a", "a", None], ["a", "b", "b"], [None, "b", "b"]]
    assert krippendorff_alpha(rows) == pytest.approx(0.5)


def test_alpha_undefined_cases():
    assert krippendorff_alpha([["a", "a"], ["a", "a"]]) is None  # one value throughout
    assert krippendorff_alpha([[], []]) is None
    assert krippendorff_alpha([["a", None], [None, "b"]]) is None  # no unit coded twice


def test_precision_recall_f1():
    assert (precision(2, 3), recall(2, 4), f1(2, 4, 3)) == (pytest.approx(2 / 3), 0.5, pytest.approx(4 / 7))
    assert (precision(0, 0), recall(0, 0), f1(0, 0, 0)) == (None, None, None)
