"""Who said a quote: the words of a cue clause turned into a speaker (annotations/GUIDELINES.md §3).

- A name ("Rudd", "said Ned Price") -> the entity mention at that place (a PERSON or ORG first).
- "he"/"she" -> the nearest PERSON mention before the quote (its antecedent).
- A definite description whose head is a title ("the US president") -> the nearest PERSON mention
  before the quote that carries that title ("President Barack Obama", "Ned Price, spokesperson ...").
- Any other description ("a White House official", "the White House official", "a spokesman")
  -> a nominal speaker: the noun phrase from its determiner to its head, no post-modifiers.
- Other pronouns ("they", "it") and names without a mention are left for the reviewer: unknown
  speaker resp. a nominal span, with a note saying why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ...schema import AnnotationFile, EntityMention

__all__ = ("SpeakerGuess", "resolve_speaker")

PERSON_PRONOUNS = frozenset({"he", "she"})
OTHER_PRONOUNS = frozenset({"they", "it", "we", "i", "you"})
DETERMINERS = frozenset({"the", "a", "an", "this", "that", "one", "another", "its", "their", "his", "her"})
#: Words that end a nominal speaker: post-modifiers start here ("a spokesman for the ministry").
_POST = re.compile(
    r"\s+(?:for|from|of|at|in|on|with|to|who|which|that|quoted|cited|speaking|during|after|before)\b.*$|[,;:].*$",
    re.DOTALL,
)
_SPEAKER_LABELS = ("PERSON", "ORG")


@dataclass(frozen=True)
class SpeakerGuess:
    """A speaker for the Quote model plus an optional note for the reviewer."""

    speaker: dict[str, Any]
    note: str | None = None


def _mentions(ann: AnnotationFile) -> list[EntityMention]:
    return sorted(ann.entities, key=lambda e: (e.start, e.end))


def _preferred(mentions: list[EntityMention]) -> EntityMention | None:
    for label in _SPEAKER_LABELS:
        for mention in mentions:
            if mention.label == label:
                return mention
    return mentions[0] if mentions else None


def _titled_person(raw: str, ann: AnnotationFile, head: str, before: int) -> EntityMention | None:
    """The last PERSON mention before ``before`` with ``head`` as its title (just before it, or in an
    apposition just after it)."""
    title = re.compile(rf"\b{re.escape(head)}\b", re.IGNORECASE)
    for mention in reversed(_mentions(ann)):
        if mention.label != "PERSON" or mention.end > before:
            continue
        ahead = raw[max(0, mention.start - 40) : mention.start]
        ahead = re.split(r"[.!?;,\n]", ahead)[-1]  # same clause only
        behind = re.match(r",\s*([^,.;\n]{1,60})", raw[mention.end : mention.end + 62])
        if title.search(" ".join(ahead.split()[-4:])) or (behind and title.search(behind.group(1))):
            return mention
    return None


def _last_person(ann: AnnotationFile, before: int) -> EntityMention | None:
    people = [m for m in _mentions(ann) if m.label == "PERSON" and m.end <= before]
    return people[-1] if people else None


def resolve_speaker(raw: str, ann: AnnotationFile, start: int, end: int, quote_start: int) -> SpeakerGuess:
    """The speaker named by ``raw[start:end]`` (words of the cue clause) of a quote opening at ``quote_start``."""
    words = raw[start:end]
    first = words.split()[0].lower() if words.split() else ""
    if len(words.split()) == 1 and first in PERSON_PRONOUNS:
        person = _last_person(ann, quote_start)
        if person is None:
            return SpeakerGuess({"type": "unknown"}, f"pronoun {words!r}: no PERSON mention before the quote")
        return SpeakerGuess({"type": "mention", "mention_id": person.id})
    if len(words.split()) == 1 and first in OTHER_PRONOUNS:
        return SpeakerGuess({"type": "unknown"}, f"pronoun {words!r} not resolved; set the speaker")
    if first in DETERMINERS:
        phrase = _POST.sub("", words).rstrip()
        head = re.findall(r"[\w’'-]+", phrase)[-1] if re.findall(r"[\w’'-]+", phrase) else ""
        named = [m for m in _mentions(ann) if start < m.start and m.end == start + len(phrase)]
        if named:  # "the Home Office": the description is a name
            return SpeakerGuess({"type": "mention", "mention_id": named[0].id})
        if first == "the" and head:
            person = _titled_person(raw, ann, head, quote_start)
            if person is not None:
                return SpeakerGuess({"type": "mention", "mention_id": person.id})
        return SpeakerGuess({"type": "nominal", "start": start, "end": start + len(phrase), "text": phrase})
    inside = [m for m in _mentions(ann) if start <= m.start and m.end <= end]
    mention = _preferred(inside)
    if mention is not None:
        return SpeakerGuess({"type": "mention", "mention_id": mention.id})
    phrase = _POST.sub("", words).strip()
    if not phrase or not words.startswith(phrase):
        return SpeakerGuess({"type": "unknown"}, f"speaker {words!r} not recognised; set the speaker")
    note = f"{phrase!r} has no entity mention; add one and make it the speaker"
    return SpeakerGuess({"type": "nominal", "start": start, "end": start + len(phrase), "text": phrase}, note)
