"""The agreement a release reports, measured at build time from the annotators' stored passes.

:func:`measured_agreement` runs :func:`corpus_pkg.agree.summary.agreement_study` on a local corpus
root (a remote root's local mirror holds no pass contents, so none is measured there);
:func:`agreement_section` is the dataset card's section and :func:`add_rai_agreement` sets
Croissant's ``rai:annotationsPerItem``, ``rai:dataAnnotationAnalysis`` and
``rai:dataAnnotationProtocol`` from the same figures.
"""

from __future__ import annotations

import re
from typing import Any

from ..agree.summary import AgreementStudy, agreement_study
from ..corpus import Corpus

__all__ = ("add_rai_agreement", "agreement_section", "measured_agreement")


def measured_agreement(corpus: Corpus, remote: bool = False) -> AgreementStudy | None:
    """The agreement of the corpus's passes; None for a remote root or without two annotators' passes."""
    return None if remote else agreement_study(corpus.root)


def agreement_section(study: AgreementStudy | None, text: str | None) -> str:
    """The card's "Inter-annotator agreement" section: the measured figures, then ``docs/agreement.md``."""
    parts = ["## Inter-annotator agreement\n"]
    if study is not None:
        parts.append(
            "Measured at build time from the annotators' independent passes (`passes/`), as `corpus agree` "
            "computes it; pass A is the reference.\n\n" + study.markdown()
        )
    if text:
        body = re.sub(r"^(#+)", r"\1##", text.strip(), flags=re.M)
        parts.append("From `docs/agreement.md`:\n\n" + body + "\n")
    if len(parts) == 1:
        parts.append(
            "No agreement study is recorded for this release (no two annotators' passes in `passes/`, "
            "and no `docs/agreement.md` in the corpus root).\n"
        )
    return "\n".join(parts)


def add_rai_agreement(croissant: dict[str, Any], study: AgreementStudy | None) -> dict[str, Any]:
    """``croissant`` with the three RAI annotation fields of ``study`` (unchanged without one)."""
    if study is None:
        return croissant
    return {**croissant, **study.rai()}
