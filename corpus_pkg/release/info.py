"""``ReleaseInfo``: what the metadata writers (dataset card, Croissant) describe about a release."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from datasets import Features

from ..schema import CorpusConfig


@dataclass(frozen=True)
class ReleaseInfo:
    """A release whose Parquet files are written: the corpus configuration it was built from, its
    version, the features of every config and where each config's files are."""

    config: CorpusConfig
    version: str
    features: dict[str, Features]  # config name -> features (every config, shipped or not)
    data_files: dict[str, dict[str, list[str]]]  # config -> split -> release-relative paths (configs with rows)
    folder: Path  # the release folder the paths are relative to
    with_text: bool = True  # False: a text-free release (``corpus build --no-text``)

    def file_size(self, relative: str) -> int:
        """Size in bytes of one file of the release."""
        return (self.folder / relative).stat().st_size
