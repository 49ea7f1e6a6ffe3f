"""``rehydrate(release, raw_dir, out)``: a text-free release + the user's copies of the articles -> the full release.

A text-free release (``corpus build --no-text``) keeps every offset and each article's sha256. Given a
folder of the articles as ``<doc_id>.txt``, byte-exact, rehydration checks every file's sha256, puts
the span texts back from the offsets, rebuilds a corpus folder from the release's ``full`` config and
``metadata/`` and builds it as ``corpus build`` would: the Parquet files equal those of the full build.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .._io import write_json
from ..corpus import ANNOTATION_SUFFIX, ANNOTATIONS_DIR, CONFIG_FILE, RAW_DIR, RAW_SUFFIX, REGISTRY_FILE, CorpusError
from ..schema import AnnotationFile
from .build import RELEASE_FILE, BuildResult, build
from .inputs import AGREEMENT
from .verify import verify_release

__all__ = ("ArticleProblem", "RehydrateError", "read_release_kind", "rehydrate")


@dataclass(frozen=True)
class ArticleProblem:
    """An article the user's folder lacks or holds in other bytes than the release was built from."""

    doc_id: str
    path: Path
    problem: str  # "missing" or "sha256 differs (expected ..., found ...)"

    def __str__(self) -> str:
        return f"{self.doc_id}: {self.path}: {self.problem}"


class RehydrateError(CorpusError):
    """Some articles are missing or differ; ``problems`` lists every one. Nothing was written."""

    def __init__(self, problems: list[ArticleProblem]) -> None:
        self.problems = problems
        missing = sum(p.problem == "missing" for p in problems)
        super().__init__(
            f"{len(problems)} article(s) cannot be used ({missing} missing, {len(problems) - missing} different); "
            "nothing was written:\n" + "\n".join(f"  {p}" for p in problems)
        )


def read_release_kind(release: Path) -> dict:
    """The release's ``metadata/release.json`` (``{"text": bool, "inputs_sha256": str}``), or {} when absent."""
    path = release / RELEASE_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def rehydrate(
    release: str | Path, raw_dir: str | Path, out: str | Path, overwrite: bool = False, cache: bool = False
) -> BuildResult:
    """Write the full release of the text-free ``release`` to ``out``, from the articles in ``raw_dir``.

    Raises:
        CorpusError: ``release`` is not an intact text-free release.
        RehydrateError: an article is missing from ``raw_dir`` or its sha256 differs (all are listed).
        FileExistsError: ``out`` exists and ``overwrite`` is false.

    Example:
        >>> rehydrate("dist/release-notext", "my_articles/", "dist/release")  # doctest: +SKIP
    """
    from ..tables.read import iter_full_rows

    release, raw_dir, out = Path(release), Path(raw_dir), Path(out)
    problems = verify_release(release).lines()
    if problems:
        raise CorpusError(f"{release} does not match its SHA256SUMS: " + "; ".join(problems[:5]))
    if read_release_kind(release).get("text", True):
        raise CorpusError(f"{release} is not a text-free release (built without --no-text); nothing to rehydrate")
    if not raw_dir.is_dir():
        raise CorpusError(f"--raw {raw_dir} is not a folder")
    rows, texts, bad = [], {}, []
    for row in iter_full_rows(release):
        doc_id = row["doc_id"]
        path = raw_dir / f"{doc_id}{RAW_SUFFIX}"
        if not path.is_file():
            bad.append(ArticleProblem(doc_id, path, "missing"))
            continue
        data = path.read_bytes()
        found = hashlib.sha256(data).hexdigest()
        if found != row["raw_sha256"]:
            bad.append(ArticleProblem(doc_id, path, f"sha256 differs (expected {row['raw_sha256']}, found {found})"))
            continue
        rows.append(row)
        texts[doc_id] = data
    if bad:
        raise RehydrateError(bad)
    with tempfile.TemporaryDirectory(prefix="corpus-rehydrate-") as tmp:
        corpus = Path(tmp) / "corpus"
        _write_corpus(release, corpus, rows, texts)
        return build(corpus, out, overwrite=overwrite, cache=cache)


def _write_corpus(release: Path, corpus: Path, rows: list[dict], texts: dict[str, bytes]) -> None:
    """A corpus folder holding what the release was built from (gold annotations only)."""
    from ..tables.rows import document_from_full
    from ..tables.textfree import fill_span_texts

    meta = release / "metadata"
    (corpus / RAW_DIR).mkdir(parents=True)
    (corpus / ANNOTATIONS_DIR).mkdir()
    shutil.copyfile(meta / "corpus.json", corpus / CONFIG_FILE)
    for name, target in (("entities.json", REGISTRY_FILE), ("GUIDELINES.md", Path(ANNOTATIONS_DIR) / "GUIDELINES.md")):
        if (meta / name).is_file():
            shutil.copyfile(meta / name, corpus / target)
    if (meta / "agreement.md").is_file():
        (corpus / AGREEMENT).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(meta / "agreement.md", corpus / AGREEMENT)
    for row in rows:
        doc_id = row["doc_id"]
        raw = texts[doc_id].decode("utf-8")
        doc = document_from_full({**fill_span_texts(row, raw), "text": raw})
        (corpus / RAW_DIR / f"{doc_id}{RAW_SUFFIX}").write_bytes(texts[doc_id])
        write_json(corpus / ANNOTATIONS_DIR / f"{doc_id}{ANNOTATION_SUFFIX}", _annotation_json(doc.annotations))


def _annotation_json(ann: AnnotationFile) -> dict:
    return ann.model_dump(mode="json", exclude_none=True)
