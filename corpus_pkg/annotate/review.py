"""Change annotations that exist: edit their fields, remove them, accept or reject suggestions.

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

from pydantic import ValidationError

from ..schema import ANNOTATION_LAYERS, AnnotationFile, EntityMention, NumberMention, Quote, Stance
from ..validate import Issue
from .errors import AnnotationError
from .session import DocumentSession, credit, edit_document, file_version

__all__ = (
    "EDITABLE_FIELDS",
    "ReviewResult",
    "accept_suggestions",
    "edit_annotation",
    "reject_suggestions",
    "remove_annotations",
    "restore_annotations",
)


@dataclass
class ReviewResult:
    """What a review call changed (or, with ``dry_run``, would change) in one annotation file."""

    action: str  # "removed" or "accepted"
    path: str  # annotation file, as given relative to the corpus root
    ids: list[str]  # annotations changed, in file order
    written: bool
    warnings: list[Issue] = field(default_factory=list)
    version: str | None = None  # file_version of the file written (None when nothing was written)

    def summary(self) -> str:
        """One line for the terminal."""
        done, would, none = _WORDS[self.action]
        if not self.ids:
            return f"{none} in {self.path}"
        return f"{done if self.written else would} {', '.join(self.ids)} in {self.path}"


_WORDS = {
    "removed": ("Removed", "Would remove", "Nothing to remove"),
    "accepted": ("Accepted", "Would accept", "Nothing to accept"),
    "edited": ("Edited", "Would edit", "Nothing to edit"),
    "restored": ("Restored", "Would restore", "Nothing to restore"),
}

#: Fields ``edit_annotation`` may set, per layer. Offsets and text are not among them: a span is
#: changed by removing the annotation and adding it again by its text.
EDITABLE_FIELDS: dict[str, tuple[str, ...]] = {
    "entities": ("label", "entity_id", "origin", "source", "note"),
    "quotes": ("kind", "origin", "source", "note"),
    "numbers": ("value", "kind", "unit", "qualifier", "origin", "source", "note"),
    "stance": ("target", "label", "origin", "source", "note"),
}


def edit_annotation(
    root: str | Path,
    doc_id: str,
    ann_id: str,
    changes: dict[str, Any],
    dry_run: bool = False,
    annotator: str | None = None,
    expected_version: str | None = None,
    by: str | None = None,
) -> ReviewResult:
    """Set fields of one annotation, e.g. ``{"label": "ORG"}`` or ``{"entity_id": None}``.

    The edited file is validated as a whole before it is written (a label must be declared, a
    registry id must exist, a value must have the schema's type). With ``annotator`` the edit is
    made in that annotator's pass (passes/<annotator>/) and credits them; ``by`` credits a person
    in the annotation's ``source`` without changing where it is written (see
    :func:`~corpus_pkg.annotate.session.credit`); ``expected_version`` makes the write a
    compare-and-swap (see ``edit_document``).

    Raises:
        AnnotationError: the id does not exist, a field cannot be edited in that layer, or the
            result would not be valid.

    Example:
        >>> edit_annotation("corpus", "doc1", "e2", {"label": "ORG"})  # doctest: +SKIP
    """
    with edit_document(root, doc_id, expected_version, annotator) as doc:
        where = doc.display(doc.ann_rel)
        if not changes:
            raise AnnotationError("no changes given; name fields to set, e.g. label=ORG")
        _require_ids(doc.ann, [ann_id], where)
        layer = _all_ids(doc.ann)[ann_id]
        allowed = EDITABLE_FIELDS[layer]
        unknown = [name for name in changes if name not in allowed]
        if unknown:
            raise AnnotationError(
                f"{where}: {ann_id} is in {layer}, whose editable fields are {', '.join(allowed)}; "
                f"cannot set {', '.join(unknown)}"
            )
        items = getattr(doc.ann, layer)
        index = next(i for i, item in enumerate(items) if item.id == ann_id)
        try:
            edited = type(items[index]).model_validate({**items[index].model_dump(), **changes})
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc']))}: {e['msg']} (got {e['input']!r})" for e in exc.errors()
            )
            raise AnnotationError(f"{where}: {ann_id} would not be valid: {problems}") from None
        if edited != items[index] and "source" not in changes:
            edited.source = credit(edited.source, by or annotator, "edited")
        if edited == items[index]:
            return ReviewResult("edited", where, [], written=False)
        ann = doc.ann.model_copy(update={layer: [*items[:index], edited, *items[index + 1 :]]})
        return _save(doc, "edited", ann, {ann_id}, dry_run)


def remove_annotations(
    root: str | Path,
    doc_id: str,
    ids: Sequence[str],
    cascade: bool = False,
    dry_run: bool = False,
    annotator: str | None = None,
    expected_version: str | None = None,
) -> ReviewResult:
    """Delete the annotations ``ids`` (any layer) from document ``doc_id``.

    Raises:
        AnnotationError: an id does not exist, or another annotation refers to one and ``cascade`` is false.

    Example:
        >>> remove_annotations("corpus", "doc1", ["e2"])  # doctest: +SKIP
    """
    ids = _id_list(ids)
    if not ids:
        raise AnnotationError("no annotation ids given; name the annotations to remove, e.g. e12 q3")
    with edit_document(root, doc_id, expected_version, annotator) as doc:
        _require_ids(doc.ann, ids, doc.display(doc.ann_rel))
        doomed = _with_referrers(doc.ann, set(ids), cascade, doc.display(doc.ann_rel))
        return _save(doc, "removed", _remove(doc.ann, doomed), doomed, dry_run)


def accept_suggestions(
    root: str | Path,
    doc_id: str,
    ids: Sequence[str] = (),
    layer: str | None = None,
    dry_run: bool = False,
    annotator: str | None = None,
    expected_version: str | None = None,
    by: str | None = None,
) -> ReviewResult:
    """Make suggestions gold (``origin`` becomes ``manual``; ``source`` keeps where they came from).

    ``ids`` picks suggestions by id; without ids, every suggestion of the document (of ``layer``
    only, when given) is accepted. With ``annotator`` (in their pass) or ``by``, ``source`` names
    them first and keeps the suggestion's provenance in brackets.

    Raises:
        AnnotationError: an id does not exist or is not a suggestion.
    """
    with edit_document(root, doc_id, expected_version, annotator) as doc:
        chosen = _suggestions(doc.ann, _id_list(ids), layer, doc.display(doc.ann_rel))
        accepted = doc.ann.model_copy(
            update={
                name: [
                    i.model_copy(update={"origin": "manual", "source": credit(i.source, by or annotator, "accepted")})
                    if i.id in chosen
                    else i
                    for i in getattr(doc.ann, name)
                ]
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
    annotator: str | None = None,
    expected_version: str | None = None,
) -> ReviewResult:
    """Delete suggestions: those in ``ids``, or without ids every suggestion (of ``layer``, when given).

    ``cascade`` also rejects the suggestions that refer to rejected ones; gold annotations are
    never removed here: one that refers to a rejected suggestion stops the call (accept the
    suggestion, or use ``remove_annotations`` with ``cascade`` to delete both).

    Raises:
        AnnotationError: an id does not exist or is not a suggestion, or an annotation that is kept
            refers to a rejected one.
    """
    with edit_document(root, doc_id, expected_version, annotator) as doc:
        where = doc.display(doc.ann_rel)
        chosen = _suggestions(doc.ann, _id_list(ids), layer, where)
        doomed = _with_referrers(doc.ann, chosen, cascade, where, follow=_suggestion_ids(doc.ann, ANNOTATION_LAYERS))
        return _save(doc, "removed", _remove(doc.ann, doomed), doomed, dry_run)


def restore_annotations(
    root: str | Path,
    doc_id: str,
    items: Sequence[dict[str, Any]],
    remove: Sequence[str] = (),
    dry_run: bool = False,
    expected_version: str | None = None,
    annotator: str | None = None,
) -> ReviewResult:
    """Put annotations back exactly as they were, ids included: what undo and redo write
    (in ``annotator``'s pass when given).

    ``items`` are annotations as JSON objects with a ``layer`` key; one whose id exists replaces
    that annotation in place, any other is appended to its layer. The annotations ``remove`` are
    deleted. Each item is checked against the schema and the file is validated as a whole.
    """
    with edit_document(root, doc_id, expected_version, annotator) as doc:
        where = doc.display(doc.ann_rel)
        doomed = set(_id_list(remove))
        _require_ids(doc.ann, doomed, where)
        update: dict[str, list[Any]] = {
            name: [i for i in getattr(doc.ann, name) if i.id not in doomed] for name in ANNOTATION_LAYERS
        }
        where_is = {item.id: layer for layer, item in doc.ann.layer_items() if item.id not in doomed}
        for given in items:
            fields = dict(given)
            layer = fields.pop("layer", None)
            if layer not in ANNOTATION_LAYERS:
                raise AnnotationError(f"{where}: layer {layer!r} is not one of {', '.join(ANNOTATION_LAYERS)}")
            try:
                item = _LAYER_MODELS[layer].model_validate(fields)
            except ValidationError as exc:
                problem = exc.errors()[0]
                raise AnnotationError(
                    f"{where}: cannot restore {fields.get('id')!r}: {'.'.join(map(str, problem['loc']))}: "
                    f"{problem['msg']}"
                ) from None
            if where_is.get(item.id, layer) != layer:
                raise AnnotationError(f"{where}: id {item.id!r} is in use in {where_is[item.id]}; nothing was restored")
            rows = update[layer]
            index = next((k for k, old in enumerate(rows) if old.id == item.id), None)
            if index is None:
                rows.append(item)
            else:
                rows[index] = item
            where_is[item.id] = layer
        changed = doomed | {str(i.get("id")) for i in items}
        return _save(doc, "restored", doc.ann.model_copy(update=update), changed, dry_run)


_LAYER_MODELS: dict[str, Any] = {
    "entities": EntityMention,
    "quotes": Quote,
    "numbers": NumberMention,
    "stance": Stance,
}


# --- helpers ---------------------------------------------------------------------------------------


def _save(doc: DocumentSession, action: str, ann: AnnotationFile, ids: set[str], dry_run: bool) -> ReviewResult:
    listed = [*doc.ann.layer_items(), *ann.layer_items()] if action == "restored" else doc.ann.layer_items()
    ordered = list(dict.fromkeys(item.id for _layer, item in listed if item.id in ids))
    written: list[bytes] = []
    warnings = doc.save(ann, dry_run=dry_run, on_write=written.append) if ids else []
    version = file_version(written[0]) if written else None
    where = doc.display(doc.ann_rel)
    return ReviewResult(action, where, ordered, written=bool(written), warnings=warnings, version=version)


def _id_list(ids: Sequence[str]) -> list[str]:
    """``ids`` without repeats, in the given order (a bare string is a mistake, not a list of letters)."""
    if isinstance(ids, str):
        raise TypeError(f"ids must be a list of annotation ids, not the string {ids!r}")
    return list(dict.fromkeys(ids))


def _all_ids(ann: AnnotationFile) -> dict[str, str]:
    return {item.id: layer for layer, item in ann.layer_items()}


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
    if not ids:
        return _suggestion_ids(ann, [layer] if layer else ANNOTATION_LAYERS)
    _require_ids(ann, ids, where)
    items = {item.id: (layer, item) for layer, item in ann.layer_items()}
    gold = [f"{i} ({items[i][1].origin})" for i in ids if items[i][1].origin != "suggestion"]
    if gold:
        raise AnnotationError(
            f"{where}: not a suggestion: {', '.join(gold)}; use `corpus remove` to delete gold annotations"
        )
    outside = [f"{i} (in {items[i][0]})" for i in ids if layer and items[i][0] != layer]
    if outside:
        raise AnnotationError(f"{where}: not in layer {layer}: {', '.join(outside)}")
    return set(ids)


def _suggestion_ids(ann: AnnotationFile, layers: Sequence[str]) -> set[str]:
    return {item.id for layer, item in ann.layer_items() if layer in layers and item.origin == "suggestion"}


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


def _with_referrers(
    ann: AnnotationFile, ids: set[str], cascade: bool, where: str, follow: set[str] | None = None
) -> set[str]:
    """``ids`` plus, with ``cascade``, everything that refers to them (transitively); with ``follow``,
    a referrer outside it blocks the call even with ``cascade``."""
    refs = _referrers(ann)
    doomed = set(ids)
    todo = list(ids)
    blocked: list[str] = []
    while todo:
        target = todo.pop()
        for referrer, how in refs.get(target, []):
            if referrer in doomed:
                continue
            if not cascade or (follow is not None and referrer not in follow):
                blocked.append(f"{referrer} ({how} of {target})")
                continue
            doomed.add(referrer)
            todo.append(referrer)
    if blocked and follow is not None:
        raise AnnotationError(
            f"{where}: still referred to by {', '.join(sorted(blocked))}; accept the suggestion instead, "
            "or delete both with `corpus remove ... --cascade`"
            + ("" if cascade else " (--cascade rejects suggestions that refer to it)")
        )
    if blocked:
        raise AnnotationError(
            f"{where}: still referred to by {', '.join(sorted(blocked))}; remove those too, or pass --cascade"
        )
    return doomed


def _remove(ann: AnnotationFile, ids: set[str]) -> AnnotationFile:
    return ann.model_copy(
        update={name: [i for i in getattr(ann, name) if i.id not in ids] for name in ANNOTATION_LAYERS}
    )
