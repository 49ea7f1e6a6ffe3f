"""The writes the workbench can ask for, as request models, each mapped onto the annotate API.

Every action calls the same function as the CLI (``add_entity``, ``edit_annotation``, ...) with
``expected_version`` set to the file version the page showed, so a write against a file that
changed since is refused (compare-and-swap) and nothing is lost. Offsets arrive in UTF-16 units
(``s``/``e``) and are converted to code points by :meth:`DocumentState.to_cp`; the selected text
comes along and must equal the raw text there.

In pass mode (``corpus serve --annotator NAME``) every action is made with ``annotator=NAME``, so
it reads and writes ``passes/NAME/<doc_id>.json`` exactly as the CLI's ``--annotator`` does;
otherwise it writes the gold file and credits the ``--annotator`` name (if any) in ``source``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..annotate.add import add_entity, add_number, add_quote, add_stance
from ..annotate.registry import add_registry_entity
from ..annotate.review import (
    accept_suggestions,
    edit_annotation,
    reject_suggestions,
    remove_annotations,
    restore_annotations,
)
from .state import DocumentState

__all__ = ("ACTIONS", "Context", "describe", "run_action")

Version = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
Id = Annotated[str, Field(min_length=1, max_length=128)]
Short = Annotated[str, Field(max_length=2000)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Sel(_Body):
    """A stretch of the text as the page sees it: UTF-16 offsets and the text there."""

    s: int = Field(ge=0)
    e: int = Field(ge=0)
    text: str = Field(min_length=1, max_length=100_000)


class EntityBody(_Body):
    version: Version
    span: Sel
    label: Short
    entity_id: Id | None = None
    note: Short | None = None


class NumberBody(_Body):
    version: Version
    span: Sel
    value: float | None = None
    kind: Short | None = None
    unit: Short | None = None
    qualifier: Short | None = None
    note: Short | None = None
    preview: bool = False


class MentionRef(_Body):
    type: Literal["mention"]
    mention_id: Id


class NominalRef(_Body):
    type: Literal["nominal"]
    span: Sel


class UnknownRef(_Body):
    type: Literal["unknown"]


class EntityRef(_Body):
    type: Literal["entity"]
    entity_id: Id


class QuoteRef(_Body):
    type: Literal["quote"]
    quote_id: Id


class SpanRef(_Body):
    type: Literal["span"]
    span: Sel


class QuoteBody(_Body):
    version: Version
    kind: Literal["direct", "indirect", "mixed"]
    fragments: list[Sel] = Field(min_length=1, max_length=50)
    cue: Sel | None = None
    speaker: Annotated[MentionRef | NominalRef | UnknownRef, Field(discriminator="type")]
    note: Short | None = None


class StanceBody(_Body):
    version: Version
    target: Id
    label: Short
    holder: Annotated[MentionRef | NominalRef | EntityRef, Field(discriminator="type")]
    evidence: Annotated[QuoteRef | SpanRef, Field(discriminator="type")]
    note: Short | None = None


class EditBody(_Body):
    version: Version
    id: Id
    changes: dict[str, Any] = Field(min_length=1, max_length=10)


class IdsBody(_Body):
    version: Version
    ids: list[Id] = Field(default_factory=list, max_length=10_000)
    cascade: bool = False


class RestoreBody(_Body):
    version: Version
    items: list[dict[str, Any]] = Field(default_factory=list, max_length=10_000)
    remove: list[Id] = Field(default_factory=list, max_length=10_000)


class RegistryBody(_Body):
    name: Annotated[str, Field(min_length=1, max_length=300)]
    label: Short
    aliases: list[Short] = Field(default_factory=list, max_length=50)
    description: Short | None = None


@dataclass
class Context:
    """What every action needs: the document as the server read it and who is annotating."""

    state: DocumentState
    annotator: str | None

    @property
    def pass_of(self) -> str | None:
        """The annotator whose pass is written (None: the gold file)."""
        return self.state.annotator

    @property
    def who(self) -> dict[str, Any]:
        """Where a write goes and whom it credits: the pass (which credits its annotator) or gold + source."""
        return {"annotator": self.pass_of} if self.pass_of else {"source": self.annotator}

    @property
    def by(self) -> dict[str, Any]:
        return {"annotator": self.pass_of} if self.pass_of else {"by": self.annotator}

    @property
    def root(self) -> Any:
        return self.state.corpus.root

    def at(self, sel: Sel) -> tuple[int, int]:
        return self.state.to_cp(sel.s, sel.e)


def _entity(ctx: Context, b: EntityBody) -> Any:
    return add_entity(
        ctx.root, ctx.state.doc_id, b.span.text, b.label, entity_id=b.entity_id, note=b.note,
        at=ctx.at(b.span), expected_version=b.version, **ctx.who,
    )  # fmt: skip


def _number(ctx: Context, b: NumberBody) -> Any:
    return add_number(
        ctx.root, ctx.state.doc_id, b.span.text, value=b.value, kind=b.kind, unit=b.unit or None,
        qualifier=b.qualifier, note=b.note, at=ctx.at(b.span),
        dry_run=b.preview, expected_version=b.version, **ctx.who,
    )  # fmt: skip


def _quote(ctx: Context, b: QuoteBody) -> Any:
    first, *rest = b.fragments
    speaker: dict[str, Any] = {}
    if isinstance(b.speaker, MentionRef):
        speaker = {"speaker_mention": b.speaker.mention_id}
    elif isinstance(b.speaker, NominalRef):
        speaker = {"speaker_text": b.speaker.span.text, "speaker_at": ctx.at(b.speaker.span)}
    else:
        speaker = {"speaker_unknown": True}
    return add_quote(
        ctx.root, ctx.state.doc_id, first.text, kind=b.kind, at=ctx.at(first),
        fragments=[f.text for f in rest], fragments_at=[ctx.at(f) for f in rest],
        cue=b.cue.text if b.cue else None, cue_at=ctx.at(b.cue) if b.cue else None,
        note=b.note, expected_version=b.version, **speaker, **ctx.who,
    )  # fmt: skip


def _stance(ctx: Context, b: StanceBody) -> Any:
    holder: dict[str, Any]
    if isinstance(b.holder, MentionRef):
        holder = {"holder_mention": b.holder.mention_id}
    elif isinstance(b.holder, EntityRef):
        holder = {"holder_entity": b.holder.entity_id}
    else:
        holder = {"holder_text": b.holder.span.text, "holder_at": ctx.at(b.holder.span)}
    if isinstance(b.evidence, QuoteRef):
        evidence: dict[str, Any] = {"evidence_quote": b.evidence.quote_id}
    else:
        evidence = {"evidence_text": b.evidence.span.text, "evidence_at": ctx.at(b.evidence.span)}
    return add_stance(
        ctx.root, ctx.state.doc_id, b.target, b.label, note=b.note,
        expected_version=b.version, **holder, **evidence, **ctx.who,
    )  # fmt: skip


def _edit(ctx: Context, b: EditBody) -> Any:
    return edit_annotation(ctx.root, ctx.state.doc_id, b.id, b.changes, expected_version=b.version, **ctx.by)


def _remove(ctx: Context, b: IdsBody) -> Any:
    return remove_annotations(
        ctx.root, ctx.state.doc_id, b.ids, cascade=b.cascade, expected_version=b.version, annotator=ctx.pass_of
    )


def _accept(ctx: Context, b: IdsBody) -> Any:
    return accept_suggestions(ctx.root, ctx.state.doc_id, b.ids, expected_version=b.version, **ctx.by)


def _reject(ctx: Context, b: IdsBody) -> Any:
    return reject_suggestions(
        ctx.root, ctx.state.doc_id, b.ids, cascade=b.cascade, expected_version=b.version, annotator=ctx.pass_of
    )


def _restore(ctx: Context, b: RestoreBody) -> Any:
    return restore_annotations(
        ctx.root, ctx.state.doc_id, b.items, remove=b.remove, expected_version=b.version, annotator=ctx.pass_of
    )


def _registry(ctx: Context, b: RegistryBody) -> Any:
    return add_registry_entity(ctx.root, b.name, b.label, aliases=b.aliases, description=b.description)


#: action name (the last part of ``POST /api/doc/<doc_id>/<action>``) -> (request model, function).
ACTIONS: dict[str, tuple[type[_Body], Callable[[Context, Any], Any]]] = {
    "entity": (EntityBody, _entity),
    "number": (NumberBody, _number),
    "quote": (QuoteBody, _quote),
    "stance": (StanceBody, _stance),
    "edit": (EditBody, _edit),
    "remove": (IdsBody, _remove),
    "accept": (IdsBody, _accept),
    "reject": (IdsBody, _reject),
    "restore": (RestoreBody, _restore),
    "registry": (RegistryBody, _registry),
}


def run_action(name: str, ctx: Context, body: Any) -> Any:
    """Validate ``body`` for action ``name`` and run it; the annotate API's result."""
    model, function = ACTIONS[name]
    return function(ctx, model.model_validate(body))


def describe(name: str, result: Any) -> dict[str, Any]:
    """An action's result as JSON for the page."""
    if name == "registry":
        return {"summary": f"Added {result.id} to the registry", "entity": result.model_dump(mode="json")}
    out: dict[str, Any] = {"summary": result.summary(), "written": result.written}
    if hasattr(result, "item"):
        out["id"] = result.item.id
        out["item"] = result.item.model_dump(mode="json", exclude_none=True)
    if hasattr(result, "ids"):
        out["ids"] = result.ids
    out["warnings"] = [w.message for w in result.warnings]
    return out
