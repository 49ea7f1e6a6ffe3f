"""Create ``.venv-floor``: a virtualenv with every dependency at the lowest version pyproject.toml allows.

Usage: python scripts/floor_env.py [--venv .venv-floor]

Each ``name>=X`` of ``[project].dependencies`` is installed as ``name==X`` (from PyPI, with pip); other
packages resolve as pip chooses. The package itself is not installed: tests run it from the source tree
with ``PYTHONPATH``. A stamp file holds the pins, so a second run with the same floors does nothing.
Prints the venv's python.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STAMP = ".floors"


def floor_pins(pyproject: Path = REPO / "pyproject.toml") -> list[str]:
    """``name==X`` for every ``name>=X`` dependency (markers and extras are not used here)."""
    deps = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = []
    for dep in deps:
        match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*>=\s*([^,;\s]+)", dep)
        if not match:
            raise SystemExit(f"pyproject.toml: dependency {dep!r} has no >= floor; give it one")
        pins.append(f"{match.group(1)}=={match.group(2)}")
    return pins


def ensure(venv: Path) -> Path:
    """The floor venv's python, creating or refreshing the venv when the pins changed."""
    pins = floor_pins()
    python = venv / "bin" / "python"
    stamp = venv / STAMP
    if python.is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8").splitlines() == pins:
        return python
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *pins], check=True)
    stamp.write_text("\n".join(pins) + "\n", encoding="utf-8")
    return python


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, default=REPO / ".venv-floor", help="where to create the venv")
    args = parser.parse_args(argv)
    print(ensure(args.venv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
