"""The entity suggester ``registry@1``: names and aliases of ``entities.json`` found in the text.

Matching rules (see docs/suggesters.md):

- Case-sensitive, as written in the registry, so "US" never matches "us" and "IS" never "is". A
  name that starts with a lowercase letter ("al-Qaeda") also matches with that letter capitalized
  (a sentence start: "Al-Qaeda").
- Whole words only: the characters before and after the match are not letters, digits or "_";
  hyphens and apostrophes are boundaries ("pro-ISIS", "Google's" -> "ISIS", "Google").
- The longest match wins and matches never overlap: "Islamic State in Iraq and Syria" is one
  mention, not three; ties go to the earlier match.
- A surface form listed by two registry entities is ambiguous and not suggested.
- Each suggestion takes the entity's registry label and links to it (``entity_id``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...schema import EntityRegistry, RegistryEntity, Span
from .registry import Candidate, Suggester, SuggestInput, register

__all__ = ("REGISTRY", "find_registry_names", "surface_forms")


def surface_forms(registry: EntityRegistry) -> dict[str, list[RegistryEntity]]:
    """Every text that names a registry entity -> the entities it names (more than one: ambiguous)."""
    forms: dict[str, list[RegistryEntity]] = {}
    for entity in registry.entities:
        for name in dict.fromkeys([entity.name, *entity.aliases]):
            variants = [name]
            if name[:1].islower():
                variants.append(name[:1].upper() + name[1:])
            for form in variants:
                named = forms.setdefault(form, [])
                if entity not in named:
                    named.append(entity)
    return forms


def find_registry_names(text: str, registry: EntityRegistry) -> list[tuple[int, int, RegistryEntity]]:
    """Non-overlapping registry names in ``text`` as (start, end, entity), longest first, in text order."""
    found: list[tuple[int, int, RegistryEntity]] = []
    for form, entities in surface_forms(registry).items():
        if len(entities) != 1 or not form.strip():
            continue
        pattern = re.compile(rf"(?<!\w){re.escape(form)}(?!\w)")
        found.extend((m.start(), m.end(), entities[0]) for m in pattern.finditer(text))
    chosen: list[tuple[int, int, RegistryEntity]] = []
    for start, end, entity in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
        if all(end <= s or e <= start for s, e, _ in chosen):
            chosen.append((start, end, entity))
    return sorted(chosen, key=lambda f: f[0])


def _registry(inp: SuggestInput) -> Iterator[Candidate]:
    for start, end, entity in find_registry_names(inp.raw, inp.registry):
        if inp.labels and entity.label not in inp.labels:
            continue
        text = inp.raw[start:end]
        fields = {"start": start, "end": end, "text": text, "label": entity.label, "entity_id": entity.id}
        yield Candidate(fields, [Span(start=start, end=end, text=text)])


REGISTRY = register(
    Suggester(
        name="registry",
        layer="entities",
        version=1,
        run=_registry,
        description="Names and aliases of the entity registry (entities.json): case-sensitive whole-word "
        "matches, longest first, each linked to its registry entity.",
    )
)
