"""Rule-based pre-annotation: ``corpus suggest numbers``.

Suggestions are stored with ``origin="suggestion"`` and ``source="rule:numbers"``: they are
machine pre-labels awaiting review (``corpus validate`` warns about them) and never gold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..schema import NumberMention
from ..text.numbers import NumberMatch, format_value, scan_numbers
from ..validate import Issue
from ..validate.checks import CONTENT_SEGMENTS
from .numbers import DETERMINERS, NumberGuess, guess_number
from .session import edit_document, next_id

__all__ = ("RULE_SOURCE", "NumberGuess", "SuggestResult", "guess_number", "suggest_numbers")

RULE_SOURCE = "rule:numbers"


@dataclass
class SuggestResult:
    """Suggestions made for one document."""

    doc_id: str
    path: str
    suggestions: list[NumberMention] = field(default_factory=list)
    skipped: int = 0  # numbers already covered by an annotation
    outside: int = 0  # numbers outside the title/body segments (boilerplate, bylines)
    written: bool = False
    warnings: list[Issue] = field(default_factory=list)

    def to_text(self) -> str:
        """One line per suggestion plus a summary line."""
        lines = []
        for s in self.suggestions:
            extra = f" {s.unit}" if s.unit else ""
            lines.append(
                f"{s.id}  [{s.start}:{s.end}]  {s.text!r} -> {format_value(s.value)} {s.kind}{extra} ({s.qualifier})"
            )
        verb = "wrote" if self.written else "would write (pass --write to save)"
        lines.append(
            f"{len(self.suggestions)} number suggestion(s) for {self.doc_id} ({self.skipped} already annotated, "
            f"{self.outside} outside title/body skipped); "
            f"{verb if self.suggestions else 'nothing to write'}"
        )
        return "\n".join(lines) + "\n"


def _is_pronoun_one(raw: str, match: NumberMatch) -> bool:
    """'one' used as a pronoun ('the second one', 'no one', 'one another') is not a quantity."""
    if match.text.lower() != "one":
        return False
    previous = re.search(r"(\w+)\s+$", raw[max(0, match.start - 20) : match.start])
    following = re.match(r"\s+(\w+)", raw[match.end : match.end + 20])
    return bool(
        (previous and previous.group(1).lower() in DETERMINERS)
        or (following and following.group(1).lower() == "another")
        or re.match(r"\s*[.,;:!?)]", raw[match.end : match.end + 2])
    )


def suggest_numbers(root: str | Path, doc_id: str, write: bool = False, annotator: str | None = None) -> SuggestResult:
    """Find numbers in document ``doc_id`` that no number annotation covers yet.

    Each becomes a NumberMention with the parsed value, a guessed kind/unit/qualifier,
    ``origin="suggestion"`` and ``source="rule:numbers"``. With ``write`` they are validated
    and appended to the annotation file; otherwise nothing is written.

    Example:
        >>> suggest_numbers("corpus", "doc1").suggestions[0].value  # doctest: +SKIP
        90000.0
    """
    with edit_document(root, doc_id, annotator) as doc:
        result = SuggestResult(doc_id=doc_id, path=doc.display(doc.ann_rel))
        taken = [(n.start, n.end) for n in doc.ann.numbers]
        content = [(s.start, s.end) for s in doc.ann.segments if s.kind in CONTENT_SEGMENTS]
        for match in scan_numbers(doc.raw):
            if any(match.start < e and s < match.end for s, e in taken):
                result.skipped += 1
                continue
            if content and not any(s <= match.start and match.end <= e for s, e in content):
                result.outside += 1
                continue
            if _is_pronoun_one(doc.raw, match):
                continue
            guess = guess_number(doc.raw, match.start, match.end)
            item = NumberMention(
                id=next_id(doc.ann, "numbers"),
                origin="suggestion",
                source=RULE_SOURCE,
                start=match.start,
                end=match.end,
                text=match.text,
                value=match.value,
                kind=guess.kind,  # type: ignore[arg-type]
                unit=guess.unit,
                qualifier=guess.qualifier,  # type: ignore[arg-type]
            )
            doc.ann.numbers.append(item)
            result.suggestions.append(item)
        if write and result.suggestions:
            result.warnings = doc.save()
            result.written = True
        return result
