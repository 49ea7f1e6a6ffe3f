"""``assignments.json``: which annotators are to annotate which documents (``corpus assign``)."""

from __future__ import annotations

from pydantic import Field, model_validator

from .common import SafeId, StrictModel


class Assignments(StrictModel):
    """Documents handed out to annotators; the workbench shows each annotator their queue."""

    annotators: list[SafeId] = Field(min_length=1, description="Everyone who was given documents.")
    overlap: int = Field(ge=1, description="Annotators per document outside the shared sample.")
    sample: list[SafeId] = Field(default_factory=list, description="Documents given to every annotator.")
    seed: int = Field(default=0, description="Seed of the shuffle that spread the documents.")
    documents: dict[SafeId, list[SafeId]] = Field(description="Document id -> its annotators, in assignment order.")

    @model_validator(mode="after")
    def _consistent(self) -> Assignments:
        if len(set(self.annotators)) != len(self.annotators):
            raise ValueError("annotators: a name is listed twice")
        if self.overlap > len(self.annotators):
            raise ValueError(f"overlap {self.overlap} is more than the {len(self.annotators)} annotators")
        known = set(self.annotators)
        for doc_id, names in self.documents.items():
            unknown = sorted(set(names) - known)
            if unknown:
                raise ValueError(f"documents.{doc_id}: {', '.join(unknown)} not in annotators")
            if len(set(names)) != len(names):
                raise ValueError(f"documents.{doc_id}: an annotator is listed twice")
        missing = sorted(set(self.sample) - set(self.documents))
        if missing:
            raise ValueError(f"sample: {', '.join(missing)} not in documents")
        return self

    def queue(self, annotator: str) -> list[str]:
        """The documents assigned to ``annotator``, in id order."""
        return sorted(doc_id for doc_id, names in self.documents.items() if annotator in names)
