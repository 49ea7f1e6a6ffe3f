"""The entity suggester ``spacy@1``: the named entities of a spaCy pipeline the user names.

Install the extra (``pip install 'corpus_pkg[spacy]'``) and pass the pipeline as the ``model``
option (``corpus suggest entities DOC --suggester spacy --model PATH_OR_PACKAGE``): a folder
saved with ``nlp.to_disk`` or an installed pipeline package. Nothing is downloaded.

Each entity of a title or body segment becomes a suggestion when its label is declared in
``corpus.json``. Spans follow the guidelines: a leading "the"/"The" and a possessive "'s"/"'"
are trimmed, unless the whole text is a registry name ("The Associated Press"). The link is the
entity's ``ent_id_`` when that is a registry id (an ``entity_ruler`` pattern with an ``id``),
else the registry entity whose name or alias equals the text, else none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from ...schema import Span
from .entities import surface_forms
from .registry import Candidate, Suggester, SuggestInput, register

__all__ = ("SPACY", "load_pipeline")

_LEADING_THE = re.compile(r"^(?:the|The)\s+")
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")


@lru_cache(maxsize=4)
def load_pipeline(model: str) -> Any:
    """``spacy.load(model)``: a saved pipeline folder or an installed package name."""
    try:
        import spacy
    except ImportError:
        raise ValueError(
            "the spacy suggester needs spaCy: pip install 'corpus_pkg[spacy]' (and a pipeline of your own; "
            "nothing is downloaded)"
        ) from None
    try:
        return spacy.load(model)
    except OSError as exc:
        raise ValueError(f"cannot load spaCy pipeline {model!r}: {exc}") from None


def _trim(text: str, start: int, end: int, names: dict) -> tuple[int, int]:
    """Drop a leading 'the' and a trailing possessive, unless the text is a registry name."""
    if text[start:end] in names:
        return start, end
    lead = _LEADING_THE.match(text[start:end])
    if lead and start + lead.end() < end:
        start += lead.end()
    tail = _POSSESSIVE.search(text[start:end])
    if tail and start < end - len(tail.group(0)):
        end -= len(tail.group(0))
    return start, end


def _spacy(inp: SuggestInput) -> Iterator[Candidate]:
    model = inp.options.get("model")
    if not model:
        raise ValueError("the spacy suggester needs a pipeline: pass --model PATH_OR_PACKAGE (option 'model')")
    nlp = load_pipeline(str(model))
    names = surface_forms(inp.registry)
    ids = {entity.id for entity in inp.registry.entities}
    texts = [inp.raw[start:end] for start, end in inp.segments]
    for (offset, _end), doc in zip(inp.segments, nlp.pipe(texts)):
        for ent in doc.ents:
            if inp.labels and ent.label_ not in inp.labels:
                continue
            start, end = _trim(inp.raw, offset + ent.start_char, offset + ent.end_char, names)
            text = inp.raw[start:end]
            if not text.strip() or text != text.strip():
                continue
            linked = names.get(text, [])
            entity_id = ent.ent_id_ if ent.ent_id_ in ids else (linked[0].id if len(linked) == 1 else None)
            fields = {"start": start, "end": end, "text": text, "label": ent.label_, "entity_id": entity_id}
            yield Candidate(fields, [Span(start=start, end=end, text=text)])


SPACY = register(
    Suggester(
        name="spacy",
        layer="entities",
        version=1,
        run=_spacy,
        description="Named entities of a spaCy pipeline you name (--model), linked to the registry by id or name.",
    )
)
