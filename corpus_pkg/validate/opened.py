"""A corpus opened once: its files listed and its corpus-level files read and checked, handed on
to the document checks and the build instead of each of them reading corpus.json again."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..schema import CorpusConfig, EntityRegistry
from .context import CorpusContext
from .corpus_files import DocumentPaths, pair_paths, read_corpus_files
from .issues import Issue
from .passes import check_assignments, pass_paths

__all__ = ("OpenedCorpus", "open_corpus")


@dataclass(frozen=True)
class OpenedCorpus:
    """What ``validate`` and ``build`` need of a corpus folder before they look at documents."""

    root: Path
    ctx: CorpusContext  # what the document checks need: labels, targets, registry ids
    config: CorpusConfig | None  # None when corpus.json is missing or invalid
    registry: EntityRegistry | None
    config_issues: list[Issue]  # corpus.json, entities.json, linked folders
    docs: list[DocumentPaths]  # gold documents, by id
    pairing_issues: list[Issue]  # raw and annotation files that do not pair up, odd names, links
    passes: list[DocumentPaths] = field(default_factory=list)  # annotators' passes (checked like gold)
    pass_issues: list[Issue] = field(default_factory=list)  # pass files and assignments.json

    @property
    def issues(self) -> list[Issue]:
        """The corpus-level issues of the gold corpus, in report order."""
        return self.config_issues + self.pairing_issues

    @property
    def buildable(self) -> bool:
        """No corpus-level error stands in the way of reading the documents."""
        return not any(issue.is_error for issue in self.issues)

    def only(self, doc_ids: Iterable[str]) -> OpenedCorpus:
        """The same corpus narrowed to ``doc_ids`` (corpus.json and entities.json still count)."""
        wanted = set(doc_ids)
        docs = [doc for doc in self.docs if doc.doc_id in wanted]
        pairing = [
            i for i in self.pairing_issues if i.doc_id in wanted or i.doc_id is None and _names_one_of(i, wanted)
        ]
        return replace(self, docs=docs, pairing_issues=pairing)


def open_corpus(root: str | Path) -> OpenedCorpus:
    """Read the corpus folder ``root`` (a local path) once: config, registry, document and pass files."""
    root = Path(root)
    ctx, issues, config, registry = read_corpus_files(root)
    docs, pairing = pair_paths(root)
    passes, pass_issues = pass_paths(root)
    check_assignments(root, pass_issues)
    return OpenedCorpus(root, ctx, config, registry, issues, docs, pairing, passes, pass_issues)


def _names_one_of(issue: Issue, doc_ids: set[str]) -> bool:
    """An issue about a file whose name (without suffix) is one of ``doc_ids``."""
    stem = (issue.file or "").rpartition("/")[2].rpartition(".")[0]
    return stem in doc_ids
