"""Corpus-level configuration: ``corpus.json`` (labels, stance targets, splits, version, and what
the release metadata says about the data: creators, rights, responsible-AI notes)."""

from __future__ import annotations

import datetime as dt

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


class Agent(StrictModel):
    """A person or organisation: a creator, the publisher or a maintainer."""

    name: str = Field(min_length=1)
    type: str = Field(default="Person", pattern=r"^(Person|Organization)$", description="schema.org type.")
    email: str | None = Field(default=None, description="Contact address (maintainers).")
    url: str | None = None


class Rights(StrictModel):
    """Who may do what with which part of the release."""

    text: str = Field(
        default="The article texts are the work of their publishers and authors, who hold their copyright; "
        "they are not licensed by this dataset.",
        description="Rights in the third-party article text (the `text` columns).",
    )


class ResponsibleAI(StrictModel):
    """Croissant RAI 1.0 notes (``rai:*``) and the card's sections on data collection, risks and use.
    Empty strings are left out of the metadata."""

    data_collection: str = ""
    data_collection_timeframe: str = Field(
        default="", description="Free text; the publication dates of the articles are computed from the data."
    )
    data_annotation_protocol: str = ""
    data_annotation_platform: str = ""
    annotations_per_item: str = Field(default="", description="Used when no agreement study is passed to the build.")
    data_annotation_analysis: str = Field(default="", description="Used when no agreement study is passed.")
    personal_sensitive_information: str = ""
    data_biases: str = ""
    data_limitations: str = ""
    data_use_cases: str = ""
    data_release_maintenance_plan: str = ""


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
    homepage: str | None = Field(default=None, description="Where the dataset lives (Croissant `url`).")
    date_published: dt.date | None = Field(
        default=None, strict=False, description="Date this version of the dataset was published."
    )
    creators: list[Agent] = Field(default_factory=list, description="Who made the dataset (BibTeX authors).")
    publisher: Agent | None = None
    maintainers: list[Agent] = Field(default_factory=list, description="Whom to contact.")
    annotations_creators: list[str] = Field(default_factory=lambda: ["expert-generated"])
    language_creators: list[str] = Field(default_factory=lambda: ["found"])
    source_datasets: list[str] = Field(default_factory=lambda: ["original"])
    rights: Rights = Field(default_factory=Rights)
    rai: ResponsibleAI = Field(default_factory=ResponsibleAI)

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
