"""Several annotators: agreement between independent passes and adjudication into gold.

- :mod:`.passes`: where a pass is (corpus root, folder, or annotator name) and reading it.
- :mod:`.matching`: which items of two passes are the same, per layer; what is tallied.
- :mod:`.metrics`: precision/recall/F1, Cohen's kappa, Krippendorff's alpha.
- :mod:`.report`: ``compare_passes`` / ``compare_annotators`` and their JSON reports.
- :mod:`.render`: the reports as Markdown tables.
"""

from __future__ import annotations

from .passes import AgreementError
from .report import AgreementReport, MatrixReport, compare_annotators, compare_passes

__all__ = ("AgreementError", "AgreementReport", "MatrixReport", "compare_annotators", "compare_passes")
