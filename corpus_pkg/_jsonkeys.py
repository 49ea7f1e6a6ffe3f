"""Duplicate-key detection for JSON that pydantic validated straight from the bytes.

pydantic's JSON parser keeps the last of two equal keys without a word. Two numbers tell whether
that can have happened: how many keys the models were built from (:func:`count_keys`), and how
many key marks the bytes hold (:func:`key_marks`), which is never fewer than the keys in the text.
When they are equal, no key was repeated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from operator import attrgetter
from types import NoneType, UnionType
from typing import Annotated, Any, Union, get_args, get_origin

import numpy as np
from pydantic import BaseModel

__all__ = ("count_keys", "key_marks")

_WHITESPACE = b" \t\n\r"  # JSON's whitespace (RFC 8259): nothing else may stand between tokens
_QUOTE, _COLON, _SPACE = ord('"'), ord(":"), ord(" ")


def key_marks(data: bytes) -> int:
    """How often a quote mark is followed by a colon, with only JSON whitespace between them.

    In JSON text every key ends with a quote mark followed by its colon, whitespace between them
    allowed, and each key has its own closing quote; a quote-colon pair inside a string (an escaped
    ``\\"`` then ``:``) only adds to the count. So the result is at least the number of keys in the
    text, repeated keys included. Counted in C: the pairs of adjacent bytes ``":`` (numpy compares
    whole arrays); only when some colon directly follows a whitespace byte (so a quote may stand
    before the whitespace) are the whitespace bytes deleted first, and the pairs counted then.
    Without such a colon, a quote, whitespace, colon sequence has no whitespace, so both counts
    agree."""
    if len(data) < 2:
        return 0
    raw = np.frombuffer(data, np.uint8)
    before, colon = raw[:-1], raw[1:] == _COLON
    if np.count_nonzero(colon & (before <= _SPACE)):  # <= space: JSON whitespace or a control byte
        return data.translate(None, _WHITESPACE).count(b'":')
    return int(np.count_nonzero(colon & (before == _QUOTE)))


def count_keys(model: BaseModel) -> int:
    """The number of JSON keys a validated model and the models inside it were built from (each
    model's ``__pydantic_fields_set__``), or -1 when a field may hold a dict (whose keys are not
    counted). Counted one level of nesting at a time, per class a few C-level passes (map,
    attrgetter, chain) over all its models at that level, whatever their number.

    Never more than the keys the JSON gave: a field's models are taken to be of the classes its
    annotation names (as pydantic builds them from JSON); a model of a subclass would have its own
    extra fields left out, which only lowers the count."""
    total = 0
    todo: list[tuple[type | None, list[Any]]] = [(type(model), [model])]
    for cls, models in todo:  # grows while it is walked: the models one level down
        total += sum(map(len, map(_FIELDS_SET, models)))
        if cls is not None:
            groups: Iterable[tuple[type, list[Any]]] = ((cls, models),)
        else:  # a union of model classes
            classes = set(map(type, models))
            groups = [(c, [m for m in models if type(m) is c] if len(classes) > 1 else models) for c in classes]
        for group_cls, group in groups:
            plan = _PLANS[group_cls] if group_cls in _PLANS else _key_plan(group_cls)
            if plan is None:
                return -1
            for get, kind, item_cls, leaf in plan:
                # a model or None, or a list of models or None (a model that were false would be left
                # out: a lower count, which is safe)
                values = filter(None, map(get, group))
                if kind == "list":
                    values = chain.from_iterable(values)
                elif kind == "any":
                    values = _models_within(values)
                if leaf:  # models without models inside: counted here
                    total += sum(map(len, map(_FIELDS_SET, values)))
                elif found := list(values):
                    todo.append((item_cls, found))
    return total


_FIELDS_SET = attrgetter("__pydantic_fields_set__")
#: per class, each field that may hold models: its getter, kind (see :func:`_key_plan`), the one
#: model class its models are of (None: several), and whether they hold no models; None when a
#: field may hold a dict
_Plan = tuple[tuple[Callable[[Any], Any], str, type | None, bool], ...]
_PLANS: dict[type, _Plan | None] = {}
_PLANNING: set[type] = set()


def _key_plan(cls: type) -> _Plan | None:
    """The fields of ``cls`` that may hold models, each with how its value holds them (``one``: a
    model or None, ``list``: a list of models or None, or ``any``), the model classes they may be
    of and whether none of those holds models; None when a field may hold a dict. Worked out
    once per class from its annotations."""
    if cls in _PLANS:
        return _PLANS[cls]
    _PLANNING.add(cls)
    plan: list[tuple[Callable[[Any], Any], str, type | None, bool]] | None = []
    for name, info in cls.model_fields.items():  # type: ignore[attr-defined]
        kind, models = _kind(info.annotation)
        if kind == "dict":
            plan = None
            break
        if kind:
            leaf = kind != "any" and all(m not in _PLANNING and _key_plan(m) == () for m in models)
            plan.append((attrgetter(name), kind, models[0] if len(set(models)) == 1 else None, leaf))
    _PLANNING.discard(cls)
    _PLANS[cls] = None if plan is None else tuple(plan)
    return _PLANS[cls]


def _kind(annotation: Any) -> tuple[str, list[Any]]:
    """``one``, ``list``, ``any`` (see :func:`_key_plan`), ``dict``, or "" (no model can appear),
    and for ``one`` and ``list`` the model classes of the values or items."""
    if _may_hold_dict(annotation):
        return "dict", []
    options = [o for o in _options(annotation) if o is not NoneType]
    if not any(_holds_models(o) for o in options):
        return "", []
    if all(_is_model(o) for o in options):
        return "one", options
    if len(options) == 1 and get_origin(options[0]) is list:
        items = _options(get_args(options[0])[0])
        if all(_is_model(o) for o in items):
            return "list", items
    return "any", []


def _options(annotation: Any) -> list[Any]:
    """The types a value of ``annotation`` may have (``Annotated`` and unions unwrapped)."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) in (Union, UnionType):
        return [o for arg in get_args(annotation) for o in _options(arg)]
    return [annotation]


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _holds_models(annotation: Any) -> bool:
    return _is_model(annotation) or any(_holds_models(arg) for arg in get_args(annotation))


def _may_hold_dict(annotation: Any) -> bool:
    if annotation is dict or annotation is Any or get_origin(annotation) is dict:
        return True
    return any(_may_hold_dict(arg) for arg in get_args(annotation) if not _is_model(arg))


def _models_within(values: Iterable[Any]) -> Iterator[BaseModel]:
    """The models in ``values``, at any depth of lists and tuples."""
    for value in values:
        if isinstance(value, BaseModel):
            yield value
        elif isinstance(value, (list, tuple)):
            yield from _models_within(value)
