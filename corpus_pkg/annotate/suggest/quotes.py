"""The quote suggester ``quotes@1``: quotations in body segments with their cue verb and speaker.

A quoted stretch becomes a suggestion only when a cue clause is next to it (so scare quotes and
quoted terms are left alone, as the guidelines want):

- after the closing mark: speaker then cue (``," he said``, ``," Rudd will tell``, ``," the US
  president said``) or cue then speaker (``," said Ned Price``, ``” Thus said ... Bernard Cazeneuve``);
- before the opening mark: speaker and cue then ``:`` or ``,`` (``Rudd said: "...``).

The fragment is the text between the marks (marks excluded). A quote opening at the start of a
sentence (or after the cue's colon) is ``direct``; one opening inside a sentence, with a cue after
it, is ``mixed`` and its fragment runs from the start of the sentence to the closing mark included.
A quote that follows a cue clause directly (``," he said. "...``) and has no cue of its own is a
second fragment of the same quote. The speaker comes from :mod:`.speakers`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ...schema import Span
from .quote_marks import QuotePair, find_quotes
from .registry import Candidate, Suggester, SuggestInput, register
from .speakers import resolve_speaker

__all__ = ("CUE_VERBS", "QUOTES")

#: Speech verbs (every form listed); auxiliaries and adverbs before them join the cue.
_CUE_VERB_WORDS = (
    "say says said saying tell tells told telling write writes wrote written add adds added "
    "explain explains explained note notes noted argue argues argued state states stated declare declares "
    "declared insist insists insisted warn warns warned claim claims claimed continue continues continued "
    "mention mentions mentioned reply replies replied recall recalls recalled admit admits admitted "
    "acknowledge acknowledges acknowledged ask asks asked announce announces announced suggest suggests "
    "suggested tweet tweets tweeted posted"
)
CUE_VERBS = tuple(_CUE_VERB_WORDS.split())
_AUX = (
    r"(?:(?:will|would|shall|should|can|could|may|might|must|has|have|had|is|are|was|were|be|been|"
    r"also|later|then|further|set|to|going|once|again|just|reportedly|previously)\s+)*"
)
_VERB = r"(?:" + "|".join(sorted(set(CUE_VERBS), key=len, reverse=True)) + r"|pointed out|points out|point out)"
CUE = _AUX + _VERB + r"\b"
_NAME = r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|al|bin))*"
_DESC = r"(?:[Tt]he|[Aa]n?|[Tt]his|[Oo]ne|[Aa]nother)\s+[^\s,.;:!?\"“”]+(?:\s+[^\s,.;:!?\"“”]+){0,5}?"
_PRONOUN = r"(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]t|[Ww]e|I)"
_SPEAKER = rf"(?:{_PRONOUN}|{_DESC}|{_NAME})"

#: After the closing mark: speaker + cue, or (an adverb and) cue + speaker words up to a comma/period.
_AFTER_SPEAKER_FIRST = re.compile(rf"^,?\s*(?P<speaker>{_SPEAKER})\s+(?P<cue>{CUE})")
_AFTER_CUE_FIRST = re.compile(
    rf"^,?\s*(?:(?:[Tt]hus|[Tt]hen|[Ss]o|[Aa]nd)\s+)?(?P<cue>{CUE})\s+(?P<speaker>[^,;:!?\"“”]+)"
)
#: Before the opening mark: speaker + cue + ':' or ','.
_BEFORE = re.compile(rf"(?:^|[.!?]\s+|,\s+|;\s+)(?P<speaker>{_SPEAKER})\s+(?P<cue>{CUE})(?:\s+\w+){{0,3}}?\s*[:,]\s*$")
_DOUBLE_MARKS = '"“”„«»'
_SENTENCE_END = re.compile(r"[.!?][\"”’']?\s+(?=[A-Z\"“‘'])")


@dataclass
class _Found:
    pair: QuotePair
    segment: tuple[int, int]
    cue: tuple[int, int] | None = None
    speaker: tuple[int, int] | None = None
    clause_end: int = 0  # end of the cue clause (after the closing mark)
    cue_before: bool = False


def _speaker_end(raw: str, start: int, end: int) -> int:
    """Cut a cue-first speaker at a period that ends the sentence (not "R. Neumann")."""
    words = raw[start:end]
    stop = re.search(r"\.(?=\s+[a-z]|\s*$)|\.\s+(?=[A-Z][a-z]+\s+[a-z])", words)
    return start + (stop.start() if stop else len(words.rstrip()))


def _cue_clause(raw: str, pair: QuotePair, segment: tuple[int, int]) -> _Found:
    found = _Found(pair, segment)
    after_at = pair.close + 1
    after = raw[after_at : segment[1]]
    match = _AFTER_CUE_FIRST.match(after)
    if match:
        speaker_end = _speaker_end(raw, after_at + match.start("speaker"), after_at + match.end("speaker"))
        found.cue = (after_at + match.start("cue"), after_at + match.end("cue"))
        found.speaker = (after_at + match.start("speaker"), speaker_end)
        found.clause_end = after_at + match.end()
        return found
    match = _AFTER_SPEAKER_FIRST.match(after)
    if match:
        found.cue = (after_at + match.start("cue"), after_at + match.end("cue"))
        found.speaker = (after_at + match.start("speaker"), after_at + match.end("speaker"))
        found.clause_end = after_at + match.end()
        return found
    before = raw[segment[0] : pair.open]
    match = _BEFORE.search(before)
    if match:
        found.cue = (segment[0] + match.start("cue"), segment[0] + match.end("cue"))
        found.speaker = (segment[0] + match.start("speaker"), segment[0] + match.end("speaker"))
        found.cue_before = True
    return found


def _sentence_start(raw: str, segment: tuple[int, int], at: int) -> int:
    start = segment[0]
    for match in _SENTENCE_END.finditer(raw, segment[0], min(at + 1, segment[1])):
        start = match.end()
    return start


def _continues(raw: str, first: _Found, second: _Found) -> bool:
    """``second`` is more of ``first``: it opens right after first's cue sentence and has no cue."""
    if second.cue is not None or first.cue is None or first.cue_before:
        return False
    between = raw[first.clause_end : second.pair.open]
    return not any(m in between for m in _DOUBLE_MARKS) and bool(re.search(r"[.!?,:]\s+$", between))


def _span(raw: str, start: int, end: int) -> dict:
    """``raw[start:end]`` as a span dict, trimmed of surrounding whitespace."""
    text = raw[start:end]
    start += len(text) - len(text.lstrip())
    end = start + len(text.strip())
    return {"start": start, "end": end, "text": raw[start:end]}


def _quotes(inp: SuggestInput) -> Iterator[Candidate]:
    raw = inp.raw
    for segment in inp.segments:
        found = [_cue_clause(raw, pair, segment) for pair in find_quotes(raw, *segment)]
        used: set[int] = set()
        for index, quote in enumerate(found):
            if index in used or quote.cue is None or quote.speaker is None:
                continue
            pair = quote.pair
            if not raw[pair.open + 1 : pair.close].strip() or quote.speaker[1] <= quote.speaker[0]:
                continue
            sentence = _sentence_start(raw, segment, pair.open)
            mid_sentence = not quote.cue_before and raw[sentence : pair.open].strip() != ""
            if mid_sentence:
                kind, fragments = "mixed", [_span(raw, sentence, pair.close + 1)]
            else:
                kind, fragments = "direct", [_span(raw, pair.open + 1, pair.close)]
                following = found[index + 1] if index + 1 < len(found) else None
                if (
                    following is not None
                    and _continues(raw, quote, following)
                    and raw[following.pair.open + 1 : following.pair.close].strip()
                ):
                    fragments.append(_span(raw, following.pair.open + 1, following.pair.close))
                    used.add(index + 1)
            guess = resolve_speaker(raw, inp.ann, *quote.speaker, quote_start=fragments[0]["start"])
            fields = {
                "kind": kind,
                "fragments": fragments,
                "cue": _span(raw, *quote.cue),
                "speaker": guess.speaker,
            }
            if guess.note:
                fields["note"] = guess.note
            yield Candidate(fields, [Span(**f) for f in fragments])


QUOTES = register(
    Suggester(
        name="quotes",
        layer="quotes",
        version=1,
        run=_quotes,
        description="Quotations next to a cue clause, in body segments: direct (and mixed) quotes, split "
        "quotes as fragments, the cue verb group and the speaker (a mention, he/she resolved to the last "
        "PERSON, or a nominal phrase).",
        segments=frozenset({"body"}),
    )
)
