"""Quotation marks: find the top-level quoted stretches of a text (straight and curly, nested).

Double marks (``"``, ``“ ”``, ``„``, ``« »``) open and close quotes; marks of another kind inside an
open quote nest (``“He said ‘no,’ twice”`` is one quote). Single marks (``‘ ’``, ``'``) open a
top-level quote only after a space or at the start, and ``’`` followed by a letter is an
apostrophe ("don’t"). A straight double mark closes an open straight quote; otherwise it opens one
when it follows a space, a bracket, a dash or the start and precedes a non-space (so straight
marks nest only inside curly ones). Unclosed quotes are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ("QuotePair", "find_quotes")

_DOUBLE_OPEN = {"“": "”", "„": "”", "«": "»"}
_DOUBLE_CLOSE = {"”", "»"}
_OPEN_BEFORE = " \t\n([{—–-/"


@dataclass(frozen=True)
class QuotePair:
    """Offsets of an opening and its closing mark: the content is ``text[open + 1 : close]``."""

    open: int
    close: int


def _straight_opens(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before in _OPEN_BEFORE and not after.isspace()


def find_quotes(text: str, start: int = 0, end: int | None = None) -> list[QuotePair]:
    """Top-level quote pairs in ``text[start:end]`` (offsets into ``text``), in text order."""
    end = len(text) if end is None else end
    pairs: list[QuotePair] = []
    stack: list[tuple[str, int]] = []  # (closing mark expected, offset of the opening mark)
    for i in range(start, end):
        ch = text[i]
        if ch in _DOUBLE_OPEN:
            stack.append((_DOUBLE_OPEN[ch], i))
        elif ch in _DOUBLE_CLOSE:
            while stack and stack[-1][0] not in (ch, "”"):  # close an unbalanced inner mark with it
                stack.pop()
            if stack:
                _closing, opened = stack.pop()
                if not stack:
                    pairs.append(QuotePair(opened, i))
        elif ch == '"':
            if stack and stack[-1][0] == '"':
                _closing, opened = stack.pop()
                if not stack:
                    pairs.append(QuotePair(opened, i))
            elif _straight_opens(text, i):
                stack.append(('"', i))
        elif ch in "‘'" and not stack and (i == start or text[i - 1] in _OPEN_BEFORE) and i + 1 < end:
            if not text[i + 1].isspace():
                stack.append(("’" if ch == "‘" else "'", i))
        elif ch in "’'" and stack and stack[-1][0] == ch and len(stack) == 1:
            after = text[i + 1] if i + 1 < end else " "
            if not after.isalpha():
                _closing, opened = stack.pop()
                pairs.append(QuotePair(opened, i))
    return pairs
