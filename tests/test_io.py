"""`dumps_json` writes exactly what the standard library's indenting encoder writes, fast or not."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_pkg._io import dumps_json


def reference(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(values)
def test_same_bytes_as_the_standard_library(value: object) -> None:
    assert dumps_json(value) == reference(value)


@pytest.mark.parametrize(
    "value",
    [1e-05, 0.00012, 1e16, 1.5e300, -0.0, 2**64, {"v": 3.4e-05}, [1e22], "1e-05", {"k": "null"}, "\x00\x1f\x7f\u2028"],
)
def test_awkward_values(value: object) -> None:
    assert dumps_json(value) == reference(value)


def test_what_json_refuses_is_still_refused() -> None:
    for bad in (math.nan, {"x": math.inf}, {1, 2}, {(1, 2): 3}):
        with pytest.raises((ValueError, TypeError)):
            reference(bad)
        with pytest.raises((ValueError, TypeError)):
            dumps_json(bad)
