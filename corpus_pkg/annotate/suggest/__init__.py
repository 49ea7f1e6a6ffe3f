"""Pre-annotation: pluggable suggesters whose labels are stored as unreviewed suggestions.

Each suggester (:mod:`.registry`) proposes annotations of one layer; :mod:`.run` stores them with
``origin: "suggestion"`` and ``source: "<name>@<version>"``, never over an annotation of the
same layer that exists already (gold or suggested). ``corpus accept``/``reject`` review them and
``corpus validate`` warns until they are reviewed; releases never contain them.

Suggesters: ``numbers@1`` (numbers), ``registry@1`` and ``spacy@1`` (entities), ``quotes@1``
(quotes). See docs/suggesters.md for their rules and measured precision and recall.
"""

from __future__ import annotations

from pathlib import Path

from ..numbers import NumberGuess, guess_number
from . import entities, quotes, spacy_ner  # noqa: F401  (registers the suggesters)
from .numbers import suggest_numbers
from .registry import SUGGESTERS, Candidate, Suggester, SuggestInput, get_suggester, register, suggester_names
from .run import SuggestResult, run_suggester, suggest_corpus

__all__ = (
    "SUGGESTERS",
    "Candidate",
    "NumberGuess",
    "SuggestInput",
    "SuggestResult",
    "Suggester",
    "get_suggester",
    "guess_number",
    "register",
    "run_suggester",
    "suggest_corpus",
    "suggest_entities",
    "suggest_numbers",
    "suggest_quotes",
    "suggester_names",
)


def suggest_entities(
    root: str | Path, doc_id: str, suggester: str = "registry", write: bool = False, model: str | None = None
) -> SuggestResult:
    """Suggest entity mentions for ``doc_id`` with ``suggester`` ("registry" or "spacy").

    ``registry`` finds the names and aliases of entities.json and links each mention to its
    entity; ``spacy`` runs the pipeline ``model`` (a saved folder or an installed package).
    Mentions overlapping an existing entity annotation are skipped. With ``write`` the
    suggestions are validated and saved; otherwise nothing is written.

    Example:
        >>> suggest_entities("corpus", "doc1").suggestions[0].entity_id  # doctest: +SKIP
        'amber_rudd'
    """
    return run_suggester(root, doc_id, "entities", suggester, write, {"model": model} if model else None)


def suggest_quotes(root: str | Path, doc_id: str, write: bool = False) -> SuggestResult:
    """Suggest quotes (with cue and speaker) found from quotation marks in the body of ``doc_id``.

    Example:
        >>> suggest_quotes("corpus", "doc1").suggestions[0].kind  # doctest: +SKIP
        'direct'
    """
    return run_suggester(root, doc_id, "quotes", write=write)
