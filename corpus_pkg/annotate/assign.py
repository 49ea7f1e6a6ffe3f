"""Hand documents out to annotators (``corpus assign``) and read each annotator's queue.

Every document goes to ``overlap`` annotators; with ``sample=N``, N documents (drawn with
``seed``) go to every annotator, which is what agreement is measured on when ``overlap`` is 1.
Documents are shuffled with ``seed`` and dealt round-robin, so each annotator gets the same number
give or take one. The plan is written to ``assignments.json`` at the corpus root.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from .._io import write_json
from .._jsonfile import parse_json
from .._lock import CONFIG, write_lock
from ..corpus import Corpus, CorpusError, check_annotator, read_regular_file
from ..schema.assignments import Assignments

__all__ = ("QueueItem", "assign", "queue", "read_assignments")


def assign(
    root: str | Path,
    annotators: Sequence[str],
    overlap: int = 1,
    sample: int = 0,
    seed: int = 0,
    doc_ids: Sequence[str] | None = None,
    overwrite: bool = False,
) -> Assignments:
    """Give the documents (all, or ``doc_ids``) to ``annotators`` and write ``assignments.json``.

    Raises:
        CorpusError: unsafe or repeated names, overlap or sample out of range, unknown documents,
            or an existing ``assignments.json`` without ``overwrite``.

    Example:
        >>> assign("corpus", ["ann", "bob", "cy"], overlap=2).queue("ann")  # doctest: +SKIP
    """
    corpus = Corpus.at(root)
    names = [check_annotator(name) for name in annotators]
    if not names or len(set(names)) != len(names):
        raise CorpusError(f"give each annotator once (got {', '.join(names) or 'none'})")
    if not 1 <= overlap <= len(names):
        raise CorpusError(f"overlap must be between 1 and the number of annotators ({len(names)}), got {overlap}")
    known = corpus.doc_ids()
    docs = sorted(set(doc_ids)) if doc_ids else known
    unknown = sorted(set(docs) - set(known))
    if unknown:
        raise CorpusError(f"unknown document(s): {', '.join(unknown)}")
    if not docs:
        raise CorpusError(f"{corpus.annotations_dir} holds no documents to assign")
    if not 0 <= sample <= len(docs):
        raise CorpusError(f"sample must be between 0 and the number of documents ({len(docs)}), got {sample}")
    rng = random.Random(seed)
    order = list(docs)
    rng.shuffle(order)
    shared, rest = sorted(order[:sample]), order[sample:]
    plan = {doc_id: list(names) for doc_id in shared}
    for i, doc_id in enumerate(rest):
        plan[doc_id] = [names[(i * overlap + j) % len(names)] for j in range(overlap)]
    result = Assignments(
        annotators=names, overlap=overlap, sample=shared, seed=seed, documents=dict(sorted(plan.items()))
    )
    with write_lock(corpus.root, CONFIG):
        if corpus.assignments_path.exists() and not overwrite:
            raise FileExistsError(f"{corpus.assignments_path} exists; pass overwrite=True (--overwrite) to replace it")
        write_json(corpus.assignments_path, result.model_dump(mode="json"))
    return result


def read_assignments(root: str | Path) -> Assignments | None:
    """The corpus's ``assignments.json``, or None when documents were never assigned."""
    path = Corpus.at(root).assignments_path
    if not path.exists():
        return None
    try:
        return Assignments.model_validate(parse_json(read_regular_file(path)).value)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or '(root)'}: {e['msg']}" for e in exc.errors()[:5])
        raise CorpusError(f"{path}: not a valid assignments file: {problems}") from None
    except ValueError as exc:
        raise CorpusError(f"{path}: {exc}") from None


@dataclass(frozen=True)
class QueueItem:
    """One document of an annotator's queue and whether their pass of it exists yet."""

    doc_id: str
    started: bool


def queue(root: str | Path, annotator: str) -> list[QueueItem]:
    """The documents assigned to ``annotator`` (empty when nothing was assigned), in id order."""
    corpus = Corpus.at(root)
    check_annotator(annotator)
    plan = read_assignments(root)
    if plan is None:
        return []
    return [QueueItem(doc_id, corpus.pass_path(annotator, doc_id).is_file()) for doc_id in plan.queue(annotator)]
