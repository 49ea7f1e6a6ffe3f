"""The BibTeX entry of a release, made from corpus.json (creators, publisher, homepage, date) and the version."""

from __future__ import annotations

import re

from ..schema import CorpusConfig


def bibtex(config: CorpusConfig, version: str) -> str:
    """A ``@misc`` BibTeX entry citing this version of the dataset (deterministic: no build date)."""
    year = config.date_published.year if config.date_published else None
    key = re.sub(r"[^A-Za-z0-9]+", "_", config.name).strip("_") + (f"_{year}" if year else "")
    fields = [
        ("title", f"{{{_escape(config.pretty_name or config.name)}}}"),
        ("author", " and ".join(_author(a.name, a.type) for a in config.creators)),
        ("year", str(year) if year else ""),
        ("publisher", _escape(config.publisher.name) if config.publisher else ""),
        ("version", version),
        ("url", config.homepage or ""),
        ("note", f"Dataset, version {version}"),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{{key},\n{body}\n}}"


def _author(name: str, kind: str) -> str:
    """A person's name as printed; an organisation in braces so BibTeX keeps it whole."""
    return f"{{{_escape(name)}}}" if kind == "Organization" else _escape(name)


def _escape(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", text)
