"""Copy a built release into the package (corpus_pkg/data/release/) so an installed wheel can serve it.

Usage: python scripts/sync_package_data.py [--release dist/release] [--build] [--check]

--build   run `corpus build --out <release> --overwrite` first.
--check   exit 1 when the packaged copy differs from the release (write nothing).

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", type=Path, default=REPO / "dist" / "release", help="built release folder")
    parser.add_argument("--build", action="store_true", help="build the release first")
    parser.add_argument("--check", action="store_true", help="report a stale packaged copy, write nothing")
    args = parser.parse_args(argv)
    if args.build:
        build(REPO, args.release, overwrite=True)
    if not (args.release / "README.md").is_file():
        print(f"no release at {args.release}; run `make dataset` (or pass --build)", file=sys.stderr)
        return 1
    if args.check:
        if same_tree(args.release, TARGET):
            return 0
        print(f"{TARGET} differs from {args.release}; run python scripts/sync_package_data.py", file=sys.stderr)
        return 1
    sync(args.release)
    print(f"copied {args.release} -> {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
