"""Several annotators: agreement between independent passes and adjudication into gold.

- :mod:`.passes`: where a pass is (corpus root, folder, or annotator name) and reading it.
- :mod:`.matching`: which items of two passes are the same, per layer; what is tallied.
- :mod:`.metrics`: precision/recall/F1, Cohen's kappa, Krippendorff's alpha.
- :mod:`.report`: ``compare_passes`` / ``compare_annotators`` and their JSON reports.
- :mod:`.render`: the reports as Markdown tables.
- :mod:`.units`, :mod:`.gold`, :mod:`.adjudicate`: group the passes' items into units, list the
  disagreements, settle them and write gold.
"""

from __future__ import annotations

from .adjudicate import AdjudicationResult, Disagreement, adjudicate, adjudicate_all, disagreements, resolve, settle
from .passes import AgreementError
from .report import AgreementReport, MatrixReport, compare_annotators, compare_passes

__all__ = (
    "AdjudicationResult",
    "AgreementError",
    "AgreementReport",
    "Disagreement",
    "MatrixReport",
    "adjudicate",
    "adjudicate_all",
    "compare_annotators",
    "compare_passes",
    "disagreements",
    "resolve",
    "settle",
)
