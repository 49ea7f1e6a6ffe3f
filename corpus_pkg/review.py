"""Change annotations that exist: remove them, accept suggestions as gold, reject suggestions.

``corpus suggest`` and importers with ``--origin suggestion`` add machine pre-labels that stay out
of every release until a person reviews them. These functions are that review (and the general
"delete this annotation"), with the same guarantees as ``add_*``: the edited file is validated
before it is written, atomically, and a file changed meanwhile by someone else is not overwritten.

References between annotations are kept intact: a mention that is a quote's speaker or a stance's
holder, or a quote that is a stance's evidence, is not removed alone. Pass ``cascade=True`` to
remove the annotations that refer to it as well (the result lists everything removed).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .annotate import AnnotationError, open_document, save_annotations
from .schema import ANNOTATION_LAYERS, AnnotationFile
from .validate import Issue

__all__ = ("ReviewResult", "accept_suggestions", "reject_suggestions", "remove_annotations")


@dataclass
class ReviewResult:
    """What a review call changed (or, with ``dry_run``, would change) in one annotation file."""

    action: str  # "removed" or "accepted"
    path: str  # annotation file, as given relative to the corpus root
    ids: list[str]  # annotations changed, in file order
    written: bool
    warnings: list[Issue] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the terminal."""
        verb = {"removed": ("Removed", "Would remove"), "accepted": ("Accepted", "Would accept")}[self.action]
        what = ", ".join(self.ids) if self.ids else "nothing"
        return f"{verb[0] if self.written else verb[1]} {what} in {self.path}"


def remove_annotations(
    root: str | Path, doc_id: str, ids: Sequence[str], cascade: bool = False, dry_run: bool = False
) -> ReviewResult:
    """Delete the annotations ``ids`` (any layer) from document ``doc_id``.

    Raises:
        AnnotationError: an id does not exist, or another annotation refers to one and ``cascade`` is false.

    Example:
        >>> remove_annotations("corpus", "doc1", ["e2"])  # doctest: +SKIP
    """
    doc = open_document(root, doc_id)
    _require_ids(doc.ann, ids, doc.display(doc.ann_rel))
    doomed = _with_referrers(doc.ann, set(ids), cascade, doc.display(doc.ann_rel))
    return _save(doc, "removed", _remove(doc.ann, doomed), doomed, dry_run)


def accept_suggestions(
    root: str | Path,
    doc_id: str,
    ids: Sequence[str] = (),
    layer: str | None = None,
    dry_run: bool = False,
) -> ReviewResult:
    """Make suggestions gold (``origin`` becomes ``manual``; ``source`` keeps where they came from).

    ``ids`` picks suggestions by id; without ids, every suggestion of the document (of ``layer``
    only, when given) is accepted.

    Raises:
        AnnotationError: an id does not exist or is not a suggestion.
    """
    doc = open_document(root, doc_id)
    chosen = _suggestions(doc.ann, ids, layer, doc.display(doc.ann_rel))
    accepted = doc.ann.model_copy(
        update={
            name: [i.model_copy(update={"origin": "manual"}) if i.id in chosen else i for i in getattr(doc.ann, name)]
            for name in ANNOTATION_LAYERS
        }
    )
    return _save(doc, "accepted", accepted, chosen, dry_run)


def reject_suggestions(
    root: str | Path,
    doc_id: str,
    ids: Sequence[str] = (),
    layer: str | None = None,
    cascade: bool = False,
    dry_run: bool = False,
) -> ReviewResult:
    """Delete suggestions: those in ``ids``, or without ids every suggestion (of ``layer``, when given).

    Raises:
        AnnotationError: an id does not exist or is not a suggestion, or a kept annotation refers to
            a rejected one and ``cascade`` is false.
    """
    doc = open_document(root, doc_id)
    chosen = _suggestions(doc.ann, ids, layer, doc.display(doc.ann_rel))
    doomed = _with_referrers(doc.ann, chosen, cascade, doc.display(doc.ann_rel))
    return _save(doc, "removed", _remove(doc.ann, doomed), doomed, dry_run)


# --- helpers ---------------------------------------------------------------------------------------


def _save(doc: Any, action: str, ann: AnnotationFile, ids: set[str], dry_run: bool) -> ReviewResult:
    ordered = [item.id for name in ANNOTATION_LAYERS for item in getattr(doc.ann, name) if item.id in ids]
    warnings = save_annotations(doc.root, ann, doc.raw_bytes, dry_run=dry_run, expected=doc.ann_bytes) if ids else []
    return ReviewResult(action, doc.display(doc.ann_rel), ordered, written=bool(ids) and not dry_run, warnings=warnings)


def _all_ids(ann: AnnotationFile) -> dict[str, str]:
    return {item.id: name for name in ANNOTATION_LAYERS for item in getattr(ann, name)}


def _require_ids(ann: AnnotationFile, ids: Iterable[str], where: str) -> None:
    known = _all_ids(ann)
    missing = [i for i in ids if i not in known]
    if missing:
        listing = ", ".join(sorted(known)[:30]) + (" ..." if len(known) > 30 else "")
        wanted = ", ".join(map(repr, missing))
        raise AnnotationError(f"{where}: no annotation with id {wanted}; ids in this document: {listing or '(none)'}")


def _suggestions(ann: AnnotationFile, ids: Sequence[str], layer: str | None, where: str) -> set[str]:
    if layer is not None and layer not in ANNOTATION_LAYERS:
        raise AnnotationError(f"unknown layer {layer!r}; expected one of {', '.join(ANNOTATION_LAYERS)}")
    layers = [layer] if layer else list(ANNOTATION_LAYERS)
    if not ids:
        return {item.id for name in layers for item in getattr(ann, name) if item.origin == "suggestion"}
    _require_ids(ann, ids, where)
    items = {item.id: (name, item) for name in ANNOTATION_LAYERS for item in getattr(ann, name)}
    gold = [f"{i} ({items[i][1].origin})" for i in ids if items[i][1].origin != "suggestion"]
    if gold:
        raise AnnotationError(
            f"{where}: not a suggestion: {', '.join(gold)}; use `corpus remove` to delete gold annotations"
        )
    outside = [i for i in ids if layer and items[i][0] != layer]
    if outside:
        raise AnnotationError(f"{where}: {', '.join(outside)} not in layer {layer}")
    return set(ids)


def _referrers(ann: AnnotationFile) -> dict[str, list[tuple[str, str]]]:
    """Annotation id -> [(referring id, how)] for every reference in the file."""
    out: dict[str, list[tuple[str, str]]] = {}
    for quote in ann.quotes:
        if quote.speaker.type == "mention":
            out.setdefault(quote.speaker.mention_id, []).append((quote.id, "quote speaker"))
    for stance in ann.stance:
        if stance.holder.type == "mention":
            out.setdefault(stance.holder.mention_id, []).append((stance.id, "stance holder"))
        if stance.evidence.type == "quote":
            out.setdefault(stance.evidence.quote_id, []).append((stance.id, "stance evidence"))
    return out


def _with_referrers(ann: AnnotationFile, ids: set[str], cascade: bool, where: str) -> set[str]:
    """``ids`` plus, with ``cascade``, everything that refers to them (transitively)."""
    refs = _referrers(ann)
    doomed = set(ids)
    todo = list(ids)
    blocked: list[str] = []
    while todo:
        target = todo.pop()
        for referrer, how in refs.get(target, []):
            if referrer in doomed:
                continue
            if not cascade:
                blocked.append(f"{referrer} ({how} of {target})")
                continue
            doomed.add(referrer)
            todo.append(referrer)
    if blocked:
        raise AnnotationError(
            f"{where}: still referred to by {', '.join(sorted(blocked))}; remove those too, or pass --cascade"
        )
    return doomed


def _remove(ann: AnnotationFile, ids: set[str]) -> AnnotationFile:
    return ann.model_copy(
        update={name: [i for i in getattr(ann, name) if i.id not in ids] for name in ANNOTATION_LAYERS}
    )
