"""``publish(release, repo_id)``: upload a release folder to the Hugging Face Hub.

The folder's ``SHA256SUMS`` is checked first, so a damaged or hand-edited release is never
uploaded. ``dry_run`` lists what would be uploaded and touches no network. ``huggingface_hub``
is imported only for a real upload (``pip install 'corpus_pkg[publish]'``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..corpus import CorpusError
from .verify import CHECKSUMS_FILE, verify_release

__all__ = ("PublishPlan", "publish", "stale_warning", "verify_release")

_REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*/[A-Za-z0-9][A-Za-z0-9_.\-]*$")


@dataclass
class PublishPlan:
    """What is (or would be) uploaded."""

    repo_id: str
    release: Path
    version: str
    files: list[tuple[str, int]]  # (release-relative path, bytes)
    dry_run: bool
    url: str
    warnings: list[str] = field(default_factory=list)  # e.g. the release is stale against the corpus

    def to_text(self) -> str:
        verb = "would upload" if self.dry_run else "uploaded"
        lines = [f"warning: {warning}" for warning in self.warnings]
        lines.append(f"{verb} release {self.version} from {self.release} to {self.url} ({len(self.files)} files):")
        lines += [f"  {path}  ({size} bytes)" for path, size in self.files]
        return "\n".join(lines) + "\n"


def stale_warning(release: str | Path, root: str | Path) -> str | None:
    """Why ``release`` may not be the current build of the corpus at ``root``, or None when it is: its
    ``metadata/release.json`` records a digest of the corpus files it was built from."""
    from .inputs import inputs_digest

    release, root = Path(release), Path(root)
    kind = release / "metadata" / "release.json"
    if not kind.is_file():
        return f"{release} has no metadata/release.json, so whether it matches {root} is unknown; rebuild it"
    recorded = json.loads(kind.read_text(encoding="utf-8")).get("inputs_sha256")
    if recorded != inputs_digest(root):
        return (
            f"{release} is stale: it was built from other corpus files than {root} holds now (corpus.json, "
            "entities.json, raw/, annotations/ or docs/agreement.md changed); rebuild it with "
            "`corpus build --overwrite`"
        )
    return None


def publish(
    release: str | Path,
    repo_id: str,
    dry_run: bool = False,
    private: bool = False,
    token: str | None = None,
    root: str | Path | None = None,
) -> PublishPlan:
    """Upload ``release`` to the dataset repo ``repo_id`` (``ORG/NAME``), tagged ``v<version>``.

    ``root`` (a corpus folder): warn in ``plan.warnings`` when the release was built from other corpus
    files than ``root`` holds now (see :func:`stale_warning`).

    Raises:
        ValueError: ``repo_id`` is not ``ORG/NAME``.
        CorpusError: the folder is not an intact release, or huggingface_hub is missing.

    Example:
        >>> print(publish("dist/release", "my-org/terror-news", dry_run=True).to_text())  # doctest: +SKIP
    """
    release = Path(release)
    if not _REPO_ID.fullmatch(repo_id):
        raise ValueError(f"--repo-id {repo_id!r} must look like ORG/NAME (letters, digits, '-', '_', '.')")
    if not release.is_dir():
        raise CorpusError(f"{release} is not a release folder; run `corpus build` first")
    problems = verify_release(release).lines()
    if problems:
        raise CorpusError(f"{release} does not match its {CHECKSUMS_FILE}; rebuild it: " + "; ".join(problems[:5]))
    version = json.loads((release / "metadata" / "corpus.json").read_text(encoding="utf-8"))["version"]
    files = sorted((p.relative_to(release).as_posix(), p.stat().st_size) for p in release.rglob("*") if p.is_file())
    plan = PublishPlan(repo_id, release, version, files, dry_run, f"https://huggingface.co/datasets/{repo_id}")
    warning = stale_warning(release, root) if root is not None else None
    if warning:
        plan.warnings.append(warning)
    if dry_run:
        return plan
    try:
        from huggingface_hub import HfApi
    except ImportError:
        raise CorpusError("publishing needs huggingface_hub: pip install 'corpus_pkg[publish]'") from None
    api = HfApi(token=token)
    api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
    api.upload_folder(
        folder_path=str(release),
        repo_id=repo_id,
        repo_type="dataset",
        commit_message=f"Release {version}",
    )
    api.create_tag(repo_id, tag=f"v{version}", repo_type="dataset", exist_ok=True)
    return plan
