"""Unit conversions (UTF-16, UTF-8 bytes, inclusive ends) all live in corpus_pkg.text.offsets."""

from __future__ import annotations

import pytest

from corpus_pkg.text.offsets import (
    UnitConverter,
    byte_to_cp,
    cp_to_byte,
    cp_to_utf16,
    exclusive_to_inclusive,
    inclusive_to_exclusive,
    utf16_len,
    utf16_to_cp,
)

TEXT = "é“😀”א x"  # widths in UTF-16: 1 1 2 1 1 1 1; in UTF-8: 2 3 4 3 2 1 1


def test_utf16_offsets_count_emoji_as_two_units() -> None:
    assert utf16_len(TEXT) == len(TEXT) + 1
    assert [cp_to_utf16(TEXT, i) for i in range(len(TEXT) + 1)] == [0, 1, 2, 4, 5, 6, 7, 8]
    assert [utf16_to_cp(TEXT, u) for u in (0, 1, 2, 4, 5, 6, 7, 8)] == list(range(len(TEXT) + 1))
    # "x" as JavaScript sees it (start 7, end 8) is code points 6..7
    assert TEXT[utf16_to_cp(TEXT, 7) : utf16_to_cp(TEXT, 8)] == "x"


def test_utf16_offset_inside_surrogate_pair_is_an_error() -> None:
    with pytest.raises(ValueError, match="inside a character"):
        utf16_to_cp(TEXT, 3)


def test_utf8_byte_offsets() -> None:
    assert [cp_to_byte(TEXT, i) for i in range(len(TEXT) + 1)] == [0, 2, 5, 9, 12, 14, 15, 16]
    assert byte_to_cp(TEXT, 9) == 3
    assert len(TEXT.encode("utf-8")) == 16
    for bad in (1, 3, 10):
        with pytest.raises(ValueError, match="inside a character"):
            byte_to_cp(TEXT, bad)


def test_out_of_range_offsets_are_errors() -> None:
    conv = UnitConverter(TEXT)
    with pytest.raises(ValueError, match="outside"):
        conv.cp_to_utf16(len(TEXT) + 1)
    with pytest.raises(ValueError, match="outside"):
        conv.utf16_to_cp(-1)
    with pytest.raises(ValueError, match="outside"):
        conv.byte_to_cp(17)


def test_bmp_detection_and_inclusive_ends() -> None:
    assert not UnitConverter(TEXT).is_bmp_only
    assert UnitConverter("Café “x”").is_bmp_only
    assert inclusive_to_exclusive(4) == 5
    assert exclusive_to_inclusive(5) == 4
