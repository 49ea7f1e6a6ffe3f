"""``ReleaseInfo``: what the metadata writers (dataset card, Croissant) describe about a release."""

from __future__ import annotations

from dataclasses import dataclass

from datasets import Features

from ..schema import CorpusConfig


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

    def file_size(self, relative: str) -> int:
        """Size in bytes of one data file of the release."""
        return self.data_facts[relative][0]

    def file_sha256(self, relative: str) -> str:
        """sha256 (hex) of one data file of the release."""
        return self.data_facts[relative][1]
