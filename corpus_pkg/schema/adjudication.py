"""``adjudication/<doc_id>.json``: how the disagreements between annotators' passes were settled."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .common import SafeId, StrictModel


class Decision(StrictModel):
    """One settled disagreement: the version taken (or none), edits to it, and who decided."""

    take: SafeId | None = Field(description="Annotator whose version goes to gold; null rejects the unit.")
    changes: dict[str, Any] = Field(default_factory=dict, description="Fields set on the taken version.")
    by: SafeId = Field(description="Who adjudicated.")
    fingerprint: str = Field(description="The unit's contents when decided; a changed unit is open again.")


class AdjudicationRecord(StrictModel):
    """The decisions of one document, keyed by unit id (see corpus_pkg.agree.units)."""

    doc_id: SafeId
    annotators: list[SafeId] = Field(min_length=1)
    decisions: dict[str, Decision] = Field(default_factory=dict)
