"""Corpus-level configuration: ``corpus.json`` (labels, stance targets, splits, version)."""

from __future__ import annotations

from pydantic import Field, field_validator

from .common import SafeId, StrictModel


class LabelDef(StrictModel):
    """A declared label and what it means."""

    name: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_\-]*$")
    description: str = ""


class StanceTarget(StrictModel):
    """A proposition that stance is annotated toward."""

    id: SafeId
    description: str = Field(min_length=1)


class CorpusConfig(StrictModel):
    """The reviewable file ``corpus.json`` at the corpus root."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", description="Dataset name (used on the Hub).")
    pretty_name: str = ""
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$", description="Semantic version of the dataset.")
    license: str = "cc-by-4.0"
    description: str = ""
    language: list[str] = Field(default_factory=lambda: ["en"])
    entity_labels: list[LabelDef] = Field(default_factory=list)
    stance_targets: list[StanceTarget] = Field(default_factory=list)
    splits: dict[SafeId, list[SafeId]] = Field(
        default_factory=dict,
        description="Split name -> document ids. Documents not listed go to the 'train' split.",
    )

    @field_validator("entity_labels")
    @classmethod
    def _unique_labels(cls, labels: list[LabelDef]) -> list[LabelDef]:
        names = [label.name for label in labels]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"duplicate entity labels: {', '.join(dupes)}")
        return labels

    @property
    def entity_label_names(self) -> list[str]:
        return [label.name for label in self.entity_labels]

    @property
    def stance_target_ids(self) -> list[str]:
        return [t.id for t in self.stance_targets]
