"""Every conversion between offset units happens here, and nowhere else.

The corpus stores half-open ``[start, end)`` offsets in Python code points over the raw text
decoded as UTF-8. Other tools count differently:

* browsers (Label Studio in some versions, old doccano) count **UTF-16 code units**: a character
  outside the Basic Multilingual Plane, such as an emoji, counts 2;
* byte-oriented tools count **UTF-8 bytes**: ``é`` counts 2, ``“`` 3, an emoji 4;
* some formats give the **inclusive** end (the index of the last character).

:class:`UnitConverter` precomputes prefix sums once per text, so each conversion is a binary
search. Offsets that fall inside a character (half a surrogate pair, the middle of a UTF-8
sequence) raise ``ValueError`` instead of being rounded silently.
"""

from __future__ import annotations

import bisect
import re
from functools import cached_property

__all__ = (
    "UnitConverter",
    "byte_to_cp",
    "cp_to_byte",
    "cp_to_utf16",
    "exclusive_to_inclusive",
    "inclusive_to_exclusive",
    "utf16_len",
    "utf16_to_cp",
)


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _utf16_width(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


def _utf8_width(char: str) -> int:
    code = ord(char)
    if code < 0x80:
        return 1
    if code < 0x800:
        return 2
    if code < 0x10000:
        return 3
    return 4


class UnitConverter:
    """Offset conversions for one text; build it once and convert many offsets."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def _astral(self) -> list[int]:
        # Code-point offsets of the characters outside the BMP (2 UTF-16 units each), found by the
        # regex engine in C: UTF-16 offset = code-point offset + astral characters before it.
        return [m.start() for m in _ASTRAL.finditer(self.text)]

    @cached_property
    def _astral_utf16(self) -> list[int]:
        return [cp + k for k, cp in enumerate(self._astral)]  # where each astral character starts in UTF-16

    @cached_property
    def _utf8_prefix(self) -> list[int]:
        out = [0] * (len(self.text) + 1)
        total = 0
        for i, char in enumerate(self.text):
            total += _utf8_width(char)
            out[i + 1] = total
        return out

    @cached_property
    def is_bmp_only(self) -> bool:
        """True when UTF-16 offsets equal code-point offsets (no astral characters)."""
        return not self._astral

    def cp_to_utf16(self, offset: int) -> int:
        """Code-point offset -> UTF-16 code-unit offset."""
        self._check_cp(offset)
        return offset + bisect.bisect_left(self._astral, offset)

    def cp_to_utf16_many(self, offsets: list[int]) -> list[int]:
        """Many code-point offsets -> UTF-16 offsets at once (token boundaries of a whole text)."""
        if offsets:
            self._check_cp(min(offsets))
            self._check_cp(max(offsets))
        astral, before = self._astral, bisect.bisect_left
        return [o + before(astral, o) for o in offsets]

    def utf16_to_cp(self, offset: int) -> int:
        """UTF-16 code-unit offset -> code-point offset; ValueError inside a surrogate pair."""
        total = len(self.text) + len(self._astral)
        if not 0 <= offset <= total:
            raise ValueError(f"UTF-16 code unit offset {offset} is outside the text (0..{total})")
        starts = self._astral_utf16
        k = bisect.bisect_left(starts, offset)  # astral characters starting before the offset
        if k and starts[k - 1] + 1 == offset:
            raise ValueError(f"UTF-16 code unit offset {offset} falls inside a character")
        return offset - k

    def cp_to_byte(self, offset: int) -> int:
        """Code-point offset -> UTF-8 byte offset."""
        self._check_cp(offset)
        return self._utf8_prefix[offset]

    def byte_to_cp(self, offset: int) -> int:
        """UTF-8 byte offset -> code-point offset; ValueError inside a multi-byte character."""
        return self._reverse(self._utf8_prefix, offset, "UTF-8 byte")

    def _check_cp(self, offset: int) -> None:
        if not 0 <= offset <= len(self.text):
            raise ValueError(f"code-point offset {offset} is outside the text (0..{len(self.text)})")

    @staticmethod
    def _reverse(prefix: list[int], offset: int, unit: str) -> int:
        if not 0 <= offset <= prefix[-1]:
            raise ValueError(f"{unit} offset {offset} is outside the text (0..{prefix[-1]})")
        index = bisect.bisect_left(prefix, offset)
        if prefix[index] != offset:
            raise ValueError(f"{unit} offset {offset} falls inside a character")
        return index


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (what JavaScript's ``length`` returns)."""
    return sum(_utf16_width(c) for c in text)


def cp_to_utf16(text: str, offset: int) -> int:
    """Code-point offset into ``text`` -> UTF-16 code-unit offset."""
    return UnitConverter(text).cp_to_utf16(offset)


def utf16_to_cp(text: str, offset: int) -> int:
    """UTF-16 code-unit offset into ``text`` -> code-point offset."""
    return UnitConverter(text).utf16_to_cp(offset)


def cp_to_byte(text: str, offset: int) -> int:
    """Code-point offset into ``text`` -> UTF-8 byte offset."""
    return UnitConverter(text).cp_to_byte(offset)


def byte_to_cp(text: str, offset: int) -> int:
    """UTF-8 byte offset into ``text`` -> code-point offset."""
    return UnitConverter(text).byte_to_cp(offset)


def inclusive_to_exclusive(end: int) -> int:
    """Inclusive end (index of the last character) -> exclusive end (one past it)."""
    return end + 1


def exclusive_to_inclusive(end: int) -> int:
    """Exclusive end -> inclusive end."""
    return end - 1
