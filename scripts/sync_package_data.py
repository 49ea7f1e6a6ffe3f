"""Copy a built release into the package (corpus_pkg/data/release/) so an installed wheel can serve it.

Usage: python scripts/sync_package_data.py [--release dist/release] [--build] [--check [--root R] [--target T]]

--build   run `corpus build --out <release> --overwrite` first.
--check   exit 1 when the packaged copy is stale (write nothing): when it differs from a fresh build of
          the corpus (into a temporary folder), or from --release when that folder exists.

The copy is verified against the release's SHA256SUMS and swapped in atomically (temp folder + rename).
pyproject.toml's package-data (`data/**/*`) puts it in the wheel; `corpus_pkg.load()` reads it when
the package is not a source checkout.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from corpus_pkg.release.build import build
from corpus_pkg.release.verify import verify_release

REPO = Path(__file__).resolve().parent.parent
TARGET = REPO / "corpus_pkg" / "data" / "release"


def same_tree(a: Path, b: Path) -> bool:
    """True when both folders hold the same files with the same bytes."""

    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    return a.is_dir() and b.is_dir() and files(a) == files(b)


def sync(release: Path, target: Path = TARGET) -> None:
    """Replace ``target`` with a verified copy of ``release``."""
    problems = verify_release(release).lines()
    if problems:
        raise SystemExit(f"{release} does not match its SHA256SUMS: {'; '.join(problems[:5])}")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".release.tmp-", dir=target.parent))
    try:
        shutil.copytree(release, tmp, dirs_exist_ok=True)
        tmp.chmod(0o755)
        if target.exists():
            old = target.with_name(f".release.old-{os.getpid()}")
            os.rename(target, old)
            os.rename(tmp, target)
            shutil.rmtree(old)
        else:
            os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def stale_reasons(corpus: Path, target: Path, release: Path | None, **build_options: Any) -> list[str]:
    """Why the packaged copy ``target`` does not match the corpus (empty when it does)."""
    if not (target / "README.md").is_file():
        return [f"{target} holds no release"]
    reasons = []
    with tempfile.TemporaryDirectory(prefix="corpus-sync-check-") as tmp:
        fresh = build(corpus, Path(tmp) / "release", **build_options).out
        if not same_tree(fresh, target):
            reasons.append(f"{target} differs from a fresh build of {corpus}")
    if release is not None and release.is_dir() and not same_tree(release, target):
        reasons.append(f"{target} differs from {release}")
    return reasons


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", type=Path, default=REPO / "dist" / "release", help="built release folder")
    parser.add_argument("--build", action="store_true", help="build the release first")
    parser.add_argument("--check", action="store_true", help="report a stale packaged copy, write nothing")
    parser.add_argument("--root", type=Path, default=REPO, help="corpus the package data comes from")
    parser.add_argument("--target", type=Path, default=TARGET, help="the packaged copy")
    args = parser.parse_args(argv)
    if args.check:
        reasons = stale_reasons(args.root, args.target, args.release)
        for reason in reasons:
            print(f"stale: {reason}", file=sys.stderr)
        if reasons:
            print("run `make dataset` (build and copy the release into the package)", file=sys.stderr)
        return 1 if reasons else 0
    if args.build:
        build(args.root, args.release, overwrite=True)
    if not (args.release / "README.md").is_file():
        print(f"no release at {args.release}; run `make dataset` (or pass --build)", file=sys.stderr)
        return 1
    sync(args.release, args.target)
    print(f"copied {args.release} -> {args.target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
