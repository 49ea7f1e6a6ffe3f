"""``ReleaseInfo``: what the metadata writers (dataset card, Croissant) describe about a release."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from datasets import Features

from ..schema import CorpusConfig


@dataclass(frozen=True)
class AgreementSummary:
    """What an agreement study over stored annotator passes says, for Croissant's
    ``rai:annotationsPerItem``, ``rai:dataAnnotationAnalysis`` and ``rai:dataAnnotationProtocol``
    and the card's agreement section."""

    annotations_per_item: str  # e.g. "2 independent passes on 5 of 5 documents (annotators: ...)"
    analysis: str  # per-layer F1, kappa and alpha of each pair of annotators
    protocol: str = ""  # how passes are made, assigned and merged ("" : the rai text of corpus.json)
    markdown: str = ""  # the card's table of each pair and layer


def agreement_summary(root: Path) -> AgreementSummary | None:
    """The agreement study of the corpus at ``root``, computed from its stored annotator passes by
    :func:`corpus_pkg.agree.summary.agreement_study` (the figures of ``corpus agree``).

    None without two annotators who share a document: the metadata then fall back to the
    ``rai.annotations_per_item`` / ``rai.data_annotation_analysis`` texts of corpus.json."""
    from ..agree.summary import agreement_study  # the agreement code is needed only here

    study = agreement_study(root)
    if study is None:
        return None
    return AgreementSummary(study.annotations_per_item(), study.analysis(), study.protocol(), study.markdown())


@dataclass(frozen=True)
class ReleaseInfo:
    """A release whose Parquet files are written: the corpus configuration it was built from, its
    version, the features of every config, where each config's files are and their sizes and digests
    (reported by the workers that wrote them, so the files need not be read again)."""

    config: CorpusConfig
    version: str
    features: dict[str, Features]  # config name -> features (every config, shipped or not)
    data_files: dict[str, dict[str, list[str]]]  # config -> split -> release-relative paths (configs with rows)
    data_facts: dict[str, tuple[int, str]]  # release-relative path -> (size in bytes, sha256) of each data file
    with_text: bool = True  # False: a text-free release (``corpus build --no-text``)
    agreement: AgreementSummary | None = None  # None: the RAI texts of corpus.json are used
    dates: tuple[str, str] | None = None  # first and last publication date of the articles (ISO), if any

    def file_size(self, relative: str) -> int:
        """Size in bytes of one data file of the release."""
        return self.data_facts[relative][0]

    def file_sha256(self, relative: str) -> str:
        """sha256 (hex) of one data file of the release."""
        return self.data_facts[relative][1]

    @property
    def annotations_per_item(self) -> str:
        return self.agreement.annotations_per_item if self.agreement else self.config.rai.annotations_per_item

    @property
    def annotation_protocol(self) -> str:
        """corpus.json's protocol text, then how the stored passes were made and merged (measured)."""
        parts = [self.config.rai.data_annotation_protocol, self.agreement.protocol if self.agreement else ""]
        return " ".join(part for part in parts if part)

    @property
    def annotation_analysis(self) -> str:
        return self.agreement.analysis if self.agreement else self.config.rai.data_annotation_analysis
