"""Agreement statistics: precision/recall/F1 of matched items, Cohen's kappa and Krippendorff's alpha.

Every function returns ``None`` where a figure is undefined (nothing to compare, or chance
agreement already perfect), never a made-up 0 or 1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence

__all__ = ("cohen_kappa", "f1", "krippendorff_alpha", "precision", "recall", "share")


def precision(matched: int, n_b: int) -> float | None:
    """Share of pass B's items that match one of pass A's (A is the reference)."""
    return matched / n_b if n_b else None


def recall(matched: int, n_a: int) -> float | None:
    """Share of pass A's items that match one of pass B's."""
    return matched / n_a if n_a else None


def f1(matched: int, n_a: int, n_b: int) -> float | None:
    """Harmonic mean of precision and recall, ``2 * matched / (n_a + n_b)``; None when both passes are empty."""
    return 2 * matched / (n_a + n_b) if n_a + n_b else None


def share(same: int, total: int) -> float | None:
    """``same / total``, None when there is nothing to compare."""
    return same / total if total else None


def cohen_kappa(pairs: Sequence[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's kappa of two coders from their ``(label_a, label_b)`` pairs.

    ``(p_o - p_e) / (1 - p_e)`` with ``p_o`` the observed share of equal pairs and ``p_e`` the sum
    over labels of the product of each coder's share of that label. None without pairs, or when
    ``p_e`` is 1 (both coders used one and the same label throughout: kappa is undefined).
    """
    n = len(pairs)
    if not n:
        return None
    observed = sum(a == b for a, b in pairs) / n
    count_a = Counter(a for a, _b in pairs)
    count_b = Counter(b for _a, b in pairs)
    expected = sum(count_a[label] * count_b[label] for label in count_a) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(rows: Sequence[Sequence[Hashable | None]]) -> float | None:
    """Nominal Krippendorff's alpha of coders (rows) over units (columns); ``None`` marks a missing value.

    Computed by the ``krippendorff`` package. None when alpha is undefined: fewer than two coded
    values in any unit, or a single value used throughout.
    """
    import krippendorff  # imported here: numpy is not needed until an alpha is computed
    import numpy as np

    values = sorted({v for row in rows for v in row if v is not None}, key=repr)
    if len(values) < 2 or not rows or not rows[0]:
        return None
    code = {v: float(i) for i, v in enumerate(values)}
    data = np.array([[np.nan if v is None else code[v] for v in row] for row in rows], dtype=float)
    pairable = (~np.isnan(data)).sum(axis=0) >= 2
    if not pairable.any():
        return None
    try:
        value = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    except ValueError:
        return None
    value = float(value)
    return None if np.isnan(value) else value
