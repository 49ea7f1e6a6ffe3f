"""Write a valid synthetic corpus of N news-like articles, for scaling tests and benchmarks.

Every article is 3-8 KB of UTF-8 text with curly quotes, accented names and some Hebrew, and
carries about 60 entity mentions, 8 quotes (some in two fragments; mention, nominal and unknown
speakers), 10 normalized numbers and 3 stance rows (quote and span evidence; mention, nominal and
entity holders). The output depends only on ``--docs`` and ``--seed``: the same arguments give
byte-identical files, whatever the number of worker processes.

Usage:
    python scripts/make_synthetic_corpus.py --docs 20000 --out /tmp/synth20k --seed 1
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import orjson

SCHEMA_VERSION = "1.0"
LABELS = ("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "LAW", "WORK_OF_ART")
TARGETS = {
    "platform_action": "Tech companies should do more, or be required, to remove extremist content.",
    "encryption_access": "Governments should get access to encrypted communications to fight terrorism.",
}
OUTLETS = ("The Morning Ledger", "Nouvelles du Soir", "Daily Courier", "Haaretz Weekly", "Berliner Blatt")

FIRST = (
    "Amélie", "José", "Zoë", "François", "Søren", "Ingrid", "Łukasz", "Renée", "Mehmet", "Chloé",
    "Noam", "Ayşe", "Björn", "Inés", "Ciarán", "Dvořák", "Yaël", "Raúl", "Maëlle", "Tomás",
    "Amber", "David", "Sarah", "Omar", "Priya", "Kenji", "Olga", "Hamid", "Elena", "Marcus",
)  # fmt: skip
LAST = (
    "Núñez", "Lefèvre", "Åberg", "Čapek", "Müller", "Kowalczyk", "Ben-David", "García", "Öztürk",
    "O'Brien", "Dubois", "Fernández", "Schäfer", "Levi", "Rudd", "Okafor", "Nakamura", "Petrović",
    "Brontë", "Šimić", "Cohen", "Haddad", "Johansson", "Ibáñez", "Morel",
)  # fmt: skip
ORGS = (
    "Facebook", "Twitter", "Google", "YouTube", "Microsoft", "Europol", "the Home Office", "Interpol",
    "the European Commission", "Reuters", "the Ministère de l’Intérieur", "Société Générale",
    "Tel Aviv University", "the Bundesamt für Verfassungsschutz", "Telegram", "Islamic State",
)  # fmt: skip
GPES = (
    "Britain", "France", "Germany", "Israel", "the United States", "Brussels", "Zürich", "Montréal",
    "São Paulo", "Kraków", "Tel Aviv", "Ankara", "Reykjavík", "Córdoba", "Jerusalem",
)  # fmt: skip
HEBREW = (("ירושלים", "GPE"), ("הכנסת", "ORG"), ("תל אביב", "GPE"), ("משרד המשפטים", "ORG"))
OTHERS = (
    ("European", "NORP"), ("Israeli", "NORP"), ("the Middle East", "LOC"), ("Silicon Valley", "LOC"),
    ("WhatsApp", "PRODUCT"), ("the Westminster attack", "EVENT"), ("the Digital Services Act", "LAW"),
    ("Heathrow Airport", "FAC"), ("“The Long Night”", "WORK_OF_ART"), ("NetzDG", "LAW"),
)  # fmt: skip
QUOTE_BITS = (
    "We will not tolerate this any longer", "The companies have the tools and the money",
    "Nobody should be able to hide behind encryption", "This is a matter of national security",
    "Les plateformes doivent agir maintenant", "We have removed most of it within hours",
    "There is no such thing as a safe back door", "Our users’ privacy is not negotiable",
    "It is simply not good enough", "We are working closely with the authorities",
    "The law must apply online as it does offline", "Wir erwarten mehr Engagement",
)  # fmt: skip
CUES = ("said", "told reporters", "wrote", "added", "argued", "insisted")
NOMINALS = (
    "a spokesperson for the ministry", "a senior official", "one executive", "a company spokesman",
    "a diplomat familiar with the talks", "a security researcher",
)  # fmt: skip
FILLER = (
    "The debate has intensified since the spring.",
    "Critics say the proposals go too far.",
    "Privacy advocates remain sceptical — and vocal.",
    "Negotiations are expected to continue next week.",
    "The measures would apply across the bloc.",
    "Observers described the meeting as “tense but constructive.”",
)  # fmt: skip
WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
ORDINALS = ("first", "second", "third", "fourth", "fifth")


def registry_entities() -> list[dict[str, Any]]:
    """The entity registry shared by every document (independent of the seed)."""
    entities = []
    for i, first in enumerate(FIRST):
        last = LAST[i % len(LAST)]
        entities.append({"id": f"p{i:03d}", "name": f"{first} {last}", "label": "PERSON", "aliases": [last]})
    for i, name in enumerate(ORGS):
        entities.append({"id": f"o{i:03d}", "name": name.removeprefix("the "), "label": "ORG", "aliases": [name]})
    for i, name in enumerate(GPES):
        entities.append({"id": f"g{i:03d}", "name": name, "label": "GPE", "aliases": []})
    for i, (name, label) in enumerate(HEBREW):
        entities.append({"id": f"h{i:03d}", "name": name, "label": label, "aliases": []})
    for i, (name, label) in enumerate(OTHERS):
        entities.append({"id": f"x{i:03d}", "name": name, "label": label, "aliases": []})
    for k, entity in enumerate(entities):
        if k % 3 == 0:
            entity["wikidata"] = f"Q{1000 + 37 * k}"
    return entities


_REGISTRY = registry_entities()
_BY_NAME = {e["name"]: e for e in _REGISTRY}
_BY_LABEL: dict[str, list[dict[str, Any]]] = {}
for _entity in _REGISTRY:
    if _entity["id"][0] in "pog":  # the pools sentences draw PERSON / ORG / GPE mentions from
        _BY_LABEL.setdefault(_entity["label"], []).append(_entity)


class _Doc:
    """Accumulates text and annotations, tracking code-point offsets as text is appended."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.parts: list[str] = []
        self.pos = 0
        self.entities: list[dict[str, Any]] = []
        self.quotes: list[dict[str, Any]] = []
        self.numbers: list[dict[str, Any]] = []
        self.stance: list[dict[str, Any]] = []
        self.spans_for_stance: list[dict[str, Any]] = []
        self.suggestions = 0

    def add(self, text: str) -> dict[str, Any]:
        start = self.pos
        self.parts.append(text)
        self.pos += len(text)
        return {"start": start, "end": self.pos, "text": text}

    def origin(self) -> str:
        return "manual" if self.rng.random() < 0.8 else "imported"

    def mention(self, label: str | None = None, linked: bool = True) -> dict[str, Any]:
        rng = self.rng
        if label is None:
            label = rng.choice(("PERSON", "PERSON", "ORG", "ORG", "GPE", "GPE", "other", "hebrew"))
        if label == "hebrew":
            surface, label = rng.choice(HEBREW)
            entity = _BY_NAME[surface]
        elif label == "other":
            surface, label = rng.choice(OTHERS)
            entity = _BY_NAME[surface]
        else:
            entity = rng.choice(_BY_LABEL[label])
            surface = rng.choice([entity["name"], *entity["aliases"]]) if label != "ORG" else entity["aliases"][0]
        span = self.add(surface)
        mention: dict[str, Any] = {"id": f"e{len(self.entities) + 1}", "origin": self.origin(), **span}
        mention["label"] = label
        if linked and rng.random() < 0.85:
            mention["entity_id"] = entity["id"]
        self.entities.append(mention)
        return mention

    def number(self) -> None:
        rng = self.rng
        kind = rng.choice(("count", "money", "percent", "year", "approx", "lower", "duration", "ordinal", "age"))
        unit = None
        qualifier = "exact"
        if kind == "count":
            value = rng.randint(2, 900) * 1000
            self.add("more than " if rng.random() < 0.3 else "")
            span = self.add(f"{value:,}")
            self.add(" accounts were suspended")
            unit = "accounts"
        elif kind == "money":
            millions = rng.randint(11, 999) / 10
            span = self.add(f"€{millions} million")
            value, unit = millions * 1_000_000, "EUR"
            self.add(" in fines was proposed")
        elif kind == "percent":
            value = rng.randint(1, 99)
            span = self.add(f"{value}%")
            self.add(" of flagged posts were removed")
        elif kind == "year":
            value = rng.randint(2012, 2019)
            self.add("the rules date from ")
            span = self.add(str(value))
        elif kind == "approx":
            value = rng.randint(2, 90) * 100
            self.add("roughly ")
            span = self.add(f"{value:,}")
            self.add(" moderators were hired")
            kind, qualifier, unit = "count", "approximate", "moderators"
        elif kind == "lower":
            value = rng.randint(12, 400)
            self.add("at least ")
            span = self.add(str(value))
            self.add(" videos were taken down")
            kind, qualifier, unit = "count", "lower_bound", "videos"
        elif kind == "duration":
            value = rng.randint(1, 10)
            span = self.add(f"{WORDS[value - 1]} hours")
            self.add(" passed before the removal")
            unit = "hours"
        elif kind == "ordinal":
            value = rng.randint(1, 5)
            self.add("it was the ")
            span = self.add(ORDINALS[value - 1])
            self.add(" such request")
        else:
            value = rng.randint(19, 80)
            self.add("the suspect, ")
            span = self.add(str(value))
            self.add(", was arrested")
            unit = "years"
        number: dict[str, Any] = {"id": f"n{len(self.numbers) + 1}", "origin": self.origin(), **span}
        number.update(value=float(value), kind=kind)
        if unit is not None:
            number["unit"] = unit
        number["qualifier"] = qualifier
        self.numbers.append(number)

    def quote(self) -> None:
        rng = self.rng
        style = rng.choice(("mention", "mention", "split", "nominal", "unknown", "mixed"))
        qid = f"q{len(self.quotes) + 1}"
        quote: dict[str, Any] = {"id": qid, "origin": self.origin()}
        if style in ("mention", "split"):
            self.add("“")
            first = self.add(rng.choice(QUOTE_BITS) + ",")
            self.add("” ")
            cue = self.add(rng.choice(CUES))
            self.add(" ")
            speaker = self.mention("PERSON")
            fragments = [first]
            if style == "split":
                self.add(". “")
                fragments.append(self.add(rng.choice(QUOTE_BITS).lower() + "."))
                self.add("”")
            else:
                self.add(".")
            quote.update(
                kind="direct", fragments=fragments, cue=cue, speaker={"type": "mention", "mention_id": speaker["id"]}
            )
        elif style == "nominal":
            self.add("“")
            content = self.add(rng.choice(QUOTE_BITS) + ",")
            self.add("” ")
            cue = self.add(rng.choice(CUES))
            self.add(" ")
            nominal = self.add(rng.choice(NOMINALS))
            self.add(".")
            quote.update(kind="direct", fragments=[content], cue=cue, speaker={"type": "nominal", **nominal})
            self.spans_for_stance.append({"holder": {"type": "nominal", **nominal}, "quote_id": qid})
        elif style == "unknown":
            cue = self.add("It was reported")
            self.add(" that ")
            content = self.add(rng.choice(QUOTE_BITS).lower())
            self.add(".")
            quote.update(kind="indirect", fragments=[content], cue=cue, speaker={"type": "unknown"})
        else:
            speaker = self.mention("PERSON")
            self.add(" ")
            cue = self.add("said")
            self.add(" the plan was “")
            content = self.add(rng.choice(QUOTE_BITS).lower())
            self.add(".”")
            quote.update(
                kind="mixed", fragments=[content], cue=cue, speaker={"type": "mention", "mention_id": speaker["id"]}
            )
        self.quotes.append(quote)

    def filler_sentence(self, with_mentions: bool) -> dict[str, Any]:
        """A sentence with 1-3 mentions (or none); returns its span (usable as stance evidence)."""
        rng = self.rng
        start = self.pos
        shape = rng.randrange(4) if with_mentions else 4
        if shape == 0:
            self.mention("PERSON")
            self.add(" met officials from ")
            self.mention("ORG")
            self.add(" in ")
            self.mention("GPE")
            self.add(" on Tuesday.")
        elif shape == 1:
            self.add("Officials from ")
            self.mention("ORG")
            self.add(" and ")
            self.mention()
            self.add(" were asked to report back within a month.")
        elif shape == 2:
            self.add("According to ")
            self.mention("ORG")
            self.add(", the review is still under way.")
        elif shape == 3:
            self.add("In ")
            self.mention("GPE")
            self.add(", the story was covered widely. ")
            self.add(rng.choice(FILLER))
        else:
            self.add(rng.choice(FILLER))
        return {"start": start, "end": self.pos}


def make_document(doc_id: str, seed: int, index: int) -> tuple[bytes, bytes]:
    """Raw bytes and annotation-file bytes of one synthetic article (pure function of its arguments)."""
    rng = random.Random(f"{seed}:{index}")
    doc = _Doc(rng)
    segments: list[dict[str, Any]] = []
    target_bytes = rng.randint(3200, 7200)
    target_mentions = rng.randint(50, 70)
    n_quotes = rng.randint(6, 10)
    n_numbers = rng.randint(8, 12)

    title_start = doc.pos
    doc.mention("PERSON")
    doc.add(" urges ")
    doc.mention("ORG")
    doc.add(" to act on extremist content")
    segments.append({"start": title_start, "end": doc.pos, "kind": "title"})
    doc.add("\n\n")
    segments.append({**doc.add("Pressure grows after a week of talks in Brussels"), "kind": "subtitle"})
    doc.add("\n\n")
    author = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    segments.append({**doc.add(f"By {author}"), "kind": "byline"})
    doc.add("\n\n")

    body_start = doc.pos
    sentence_spans: list[dict[str, Any]] = []
    paragraph_len = 0
    quotes_left, numbers_left = n_quotes, n_numbers
    step = 0
    while doc.pos < body_start + target_bytes or len(doc.entities) < target_mentions or quotes_left or numbers_left:
        if step:
            paragraph_len += 1
            if paragraph_len >= rng.randint(3, 6):
                doc.add("\n\n")
                paragraph_len = 0
            else:
                doc.add(" ")
        step += 1
        roll = rng.random()
        if quotes_left and roll < 0.3:
            doc.quote()
            quotes_left -= 1
        elif numbers_left and roll < 0.55:
            doc.add("Officials said ")
            doc.number()
            doc.add(".")
            numbers_left -= 1
        else:
            with_mentions = len(doc.entities) < target_mentions and rng.random() < 0.75
            sentence_spans.append(doc.filler_sentence(with_mentions))
        if step > 400:
            break
    body_end = doc.pos
    doc.add("\n\n")
    segments.append({**doc.add("Photo: delegates arrive in Brussels. © Agence Photo"), "kind": "caption"})
    doc.add("\n\n")
    segments.append({**doc.add("📰 Subscribe to our newsletter — it’s free."), "kind": "boilerplate"})
    doc.add("\n")
    text = "".join(doc.parts)
    segments.insert(3, {"start": body_start, "end": body_end, "kind": "body"})
    for seg in segments:
        seg["text"] = text[seg["start"] : seg["end"]]
    segments = [{"start": s["start"], "end": s["end"], "text": s["text"], "kind": s["kind"]} for s in segments]

    # Stance: mention holder with quote evidence, nominal holder with span evidence, entity holder.
    targets = sorted(TARGETS)
    mention_quotes = [q for q in doc.quotes if q["speaker"]["type"] == "mention"]
    labels = ("favor", "against", "neutral")
    if mention_quotes:
        q = rng.choice(mention_quotes)
        holder = {"type": "mention", "mention_id": q["speaker"]["mention_id"]}
        doc.stance.append(
            _stance(doc, holder, rng.choice(targets), rng.choice(labels), {"type": "quote", "quote_id": q["id"]})
        )
    if doc.spans_for_stance:
        item = doc.spans_for_stance[0]
        quote = next(q for q in doc.quotes if q["id"] == item["quote_id"])
        evidence = {"type": "span", **quote["fragments"][0]}
        doc.stance.append(_stance(doc, item["holder"], rng.choice(targets), rng.choice(labels), evidence))
    if sentence_spans:
        span = rng.choice(sentence_spans)
        evidence = {
            "type": "span",
            "start": span["start"],
            "end": span["end"],
            "text": text[span["start"] : span["end"]],
        }
        entity = rng.choice(_BY_LABEL["ORG"])
        doc.stance.append(
            _stance(doc, {"type": "entity", "entity_id": entity["id"]}, targets[0], rng.choice(labels), evidence)
        )
    if index % 20 == 7:  # a few machine pre-labels awaiting review, as in a live corpus
        doc.entities[-1]["origin"] = "suggestion"
        doc.entities[-1]["source"] = "ner-model:v3"

    raw = text.encode("utf-8")
    meta: dict[str, Any] = {
        "title": text[segments[0]["start"] : segments[0]["end"]],
        "outlet": rng.choice(OUTLETS),
        "authors": [author],
        "url": f"https://news.example.org/{index // 1000}/{doc_id}",
        "published": f"{rng.randint(2015, 2017)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "language": "en",
    }
    annotation = {
        "schema_version": SCHEMA_VERSION,
        "doc_id": doc_id,
        "raw_sha256": hashlib.sha256(raw).hexdigest(),
        "meta": meta,
        "segments": segments,
        "entities": doc.entities,
        "quotes": doc.quotes,
        "numbers": doc.numbers,
        "stance": doc.stance,
    }
    return raw, dumps(annotation)


def _stance(doc: _Doc, holder: dict, target: str, label: str, evidence: dict) -> dict[str, Any]:
    return {
        "id": f"s{len(doc.stance) + 1}",
        "origin": doc.origin(),
        "holder": holder,
        "target": target,
        "label": label,
        "evidence": evidence,
    }


def dumps(value: Any) -> bytes:
    """The project's canonical JSON layout (2-space indent, UTF-8 kept, trailing newline), fast."""
    return orjson.dumps(value, option=orjson.OPT_INDENT_2) + b"\n"


def doc_id_for(index: int) -> str:
    return f"art{index:06d}"


def _write_range(out: str, seed: int, start: int, stop: int) -> int:
    root = Path(out)
    for index in range(start, stop):
        doc_id = doc_id_for(index)
        raw, annotation = make_document(doc_id, seed, index)
        (root / "raw" / f"{doc_id}.txt").write_bytes(raw)
        (root / "annotations" / f"{doc_id}.json").write_bytes(annotation)
    return stop - start


def make_corpus(out: str | Path, docs: int, seed: int = 0, workers: int | None = None) -> Path:
    """Create a synthetic corpus of ``docs`` articles at ``out`` (which must be missing or empty)."""
    root = Path(out)
    if root.exists() and any(root.iterdir()):
        raise FileExistsError(f"{root} exists and is not empty; choose a new folder")
    (root / "raw").mkdir(parents=True, exist_ok=True)
    (root / "annotations").mkdir(exist_ok=True)
    ids = [doc_id_for(i) for i in range(docs)]
    config = {
        "name": "synthetic-news",
        "pretty_name": "Synthetic news corpus",
        "version": "0.1.0",
        "license": "cc-by-4.0",
        "description": f"{docs} synthetic articles (seed {seed}) for scaling tests.",
        "language": ["en"],
        "entity_labels": [{"name": label, "description": ""} for label in LABELS],
        "stance_targets": [{"id": k, "description": v} for k, v in sorted(TARGETS.items())],
        "splits": {"validation": ids[5::10], "test": ids[0::10]},
    }
    (root / "corpus.json").write_bytes(_dumps_text(config))
    (root / "entities.json").write_bytes(_dumps_text({"entities": _REGISTRY}))
    workers = workers or min(os.cpu_count() or 1, 8)
    chunk = 250
    ranges = [(i, min(i + chunk, docs)) for i in range(0, docs, chunk)]
    if workers <= 1 or docs <= chunk:
        for start, stop in ranges:
            _write_range(str(root), seed, start, stop)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            list(pool.map(_write_range, *zip(*[(str(root), seed, a, b) for a, b in ranges])))
    return root


def _dumps_text(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, required=True, help="number of articles")
    parser.add_argument("--out", required=True, help="folder to create (must be missing or empty)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        make_corpus(args.out, args.docs, args.seed, args.workers)
    except FileExistsError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {args.docs} documents to {args.out} in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
