"""Add an entity to the corpus registry (``entities.json``), under the registry's write lock."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from .._io import write_json
from .._lock import REGISTRY, write_lock
from ..corpus import Corpus
from ..schema import EntityRegistry, RegistryEntity
from .errors import AnnotationError

__all__ = ("add_registry_entity", "registry_id_for")


def registry_id_for(name: str, taken: set[str]) -> str:
    """A free registry id made from ``name``: ``"Amber Rudd"`` -> ``amber_rudd`` (``amber_rudd_2`` when taken)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")[:100] or "entity"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}_{n}"
    return candidate


def add_registry_entity(
    root: str | Path,
    name: str,
    label: str,
    entity_id: str | None = None,
    aliases: Sequence[str] = (),
    description: str | None = None,
) -> RegistryEntity:
    """Add one entity to ``entities.json`` and return it (its id made from ``name`` unless given).

    Raises:
        AnnotationError: the label is not declared, the id is taken, or a field is invalid.

    Example:
        >>> add_registry_entity("corpus", "Amber Rudd", "PERSON", aliases=["Rudd"])  # doctest: +SKIP
    """
    with write_lock(root, REGISTRY):
        corpus = Corpus.at(root)
        labels = corpus.config.entity_label_names
        if label not in labels:
            raise AnnotationError(f"label {label!r} is not declared in corpus.json; declared: {', '.join(labels)}")
        registry = corpus.registry
        taken = {e.id for e in registry.entities}
        if entity_id is not None and entity_id in taken:
            raise AnnotationError(f"{corpus.registry_path}: id {entity_id!r} is already in the registry")
        try:
            entity = RegistryEntity(
                id=entity_id or registry_id_for(name, taken),
                name=name.strip(),
                label=label,
                aliases=[a for a in dict.fromkeys(a.strip() for a in aliases) if a and a != name.strip()],
                description=description or None,
            )
        except ValidationError as exc:
            problem = exc.errors()[0]
            raise AnnotationError(f"registry entity {name!r}: {problem['loc'][0]}: {problem['msg']}") from None
        updated = EntityRegistry(entities=[*registry.entities, entity])
        write_json(corpus.registry_path, updated.model_dump(mode="json", exclude_none=True))
        return entity
